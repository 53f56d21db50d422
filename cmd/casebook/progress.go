package main

import (
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// progressLine shows on stderr how far long work has got ("linting
// 1,234/10,000 files…"), when stderr is a terminal, and erases itself when
// the work is done. Work that ends within progressDelay shows nothing; the
// line is redrawn at most every progressEvery, so updates from every core
// cost an atomic load each. A nil *progressLine shows nothing: that is
// what progress returns off a terminal, with CI set or with TERM=dumb.
type progressLine struct {
	w           io.Writer // the terminal, written past termSafe: the line is casebook's own text
	verb, noun  string
	now         func() time.Time
	next        atomic.Int64 // UnixNano before which nothing is drawn
	count       atomic.Int64 // for tick
	mu          sync.Mutex   // held while drawing
	shown, done bool
	frame       int
}

const (
	progressDelay = 300 * time.Millisecond
	progressEvery = 100 * time.Millisecond
)

var spinner = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// progress starts a progress line for work described by verb and noun
// ("linting", "files"); nil when stderr is not a terminal, CI is set or
// TERM is dumb.
func (f *factory) progress(verb, noun string) *progressLine {
	file := terminalFile(f.streams.ErrOut)
	if file == nil || f.getenv("CI") != "" || f.getenv("TERM") == "dumb" {
		return nil
	}
	p := &progressLine{w: file, verb: verb, noun: noun, now: f.now}
	p.next.Store(p.now().Add(progressDelay).UnixNano())
	return p
}

// callback is update as a function for a loader's Progress option; nil
// for a nil line, so the loader skips it altogether.
func (p *progressLine) callback() func(done, total int) {
	if p == nil {
		return nil
	}
	return p.update
}

// tick counts one more item done, of a total not known.
func (p *progressLine) tick() {
	if p != nil {
		p.update(int(p.count.Add(1)), 0)
	}
}

// update shows done of total (total 0: not known); safe from any
// goroutine.
func (p *progressLine) update(done, total int) {
	if p == nil || p.now().UnixNano() < p.next.Load() || !p.mu.TryLock() {
		return
	}
	defer p.mu.Unlock()
	now := p.now().UnixNano()
	if p.done || now < p.next.Load() {
		return
	}
	p.next.Store(now + int64(progressEvery))
	text := p.verb + " " + groupThousands(done)
	if total > 0 {
		text += "/" + groupThousands(total)
	}
	p.frame = (p.frame + 1) % len(spinner)
	fmt.Fprintf(p.w, "\r\x1b[K%s %s %s…", spinner[p.frame], text, p.noun)
	p.shown = true
}

// clear erases the line, if it was drawn, and stops further updates.
func (p *progressLine) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
	p.done = true
}

// groupThousands writes n with commas between groups of three digits.
func groupThousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + groupThousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
