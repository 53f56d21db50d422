package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	at := start
	newLine := func(b *bytes.Buffer) *progressLine {
		p := &progressLine{w: b, verb: "linting", noun: "files", now: func() time.Time { return at }}
		p.next.Store(start.Add(progressDelay).UnixNano())
		return p
	}
	t.Run("work done within the delay shows nothing", func(t *testing.T) {
		var b bytes.Buffer
		at = start
		p := newLine(&b)
		p.update(5, 10)
		p.clear()
		if b.Len() != 0 {
			t.Errorf("wrote %q", b.String())
		}
	})
	t.Run("long work shows a counter, throttled, and erases it", func(t *testing.T) {
		var b bytes.Buffer
		at = start
		p := newLine(&b)
		at = start.Add(progressDelay)
		p.update(1234, 10000)
		p.update(1235, 10000) // within progressEvery: not drawn
		at = at.Add(progressEvery)
		p.update(2000, 10000)
		p.clear()
		p.update(3000, 10000) // after clear: never drawn
		got := b.String()
		if !strings.Contains(got, "linting 1,234/10,000 files…") || !strings.Contains(got, "linting 2,000/10,000 files…") {
			t.Errorf("counter missing: %q", got)
		}
		if strings.Contains(got, "1,235") || strings.Contains(got, "3,000") {
			t.Errorf("drew more often than allowed: %q", got)
		}
		if !strings.HasSuffix(got, "\r\x1b[K") {
			t.Errorf("the line is not erased at the end: %q", got)
		}
	})
	t.Run("a nil line does nothing", func(t *testing.T) {
		var p *progressLine
		p.update(1, 2)
		p.tick()
		p.clear()
		if p.callback() != nil {
			t.Error("a nil line gave a callback")
		}
	})
	t.Run("off a terminal there is no line", func(t *testing.T) {
		var out, errOut bytes.Buffer
		f := newFactory(&ioStreams{Out: &out, ErrOut: &errOut})
		if f.progress("linting", "files") != nil {
			t.Error("a buffer got a progress line")
		}
	})
}

func TestGroupThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := groupThousands(n); got != want {
			t.Errorf("%d: got %q, want %q", n, got, want)
		}
	}
}
