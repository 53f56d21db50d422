package store

import (
	"encoding/binary"
	"errors"
	"unsafe"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

// A summary is what a report counts of a scorecard, in one binary column
// a report reads without decoding JSON: a version byte, then fields. A
// number is a uvarint; a word (a trainee, scenario, tier, step, rule or
// move: text many summaries share) is the uvarint id of its row in the
// words table; other text is its uvarint length and bytes; a list is its
// length and its items. A report over a million stored attempts reads one
// such column a row and looks each word up in a slice.
//
//	trainee scenario tier rules total clock resolved handed_to
//	started_at(text) file(text) golden_key [findings] [off-path steps]
//	progress(0|1) earned of [skipped moves]
//
// Version 2 adds, at the end: golden_clock playbook. A version 1 summary
// still reads, with the golden path's time unknown (0) and no playbook.
const summaryVersion = 2

// A wordIDs gives the id of a word, storing it when it is new.
type wordIDs func(string) (int64, error)

type encoder struct {
	b    []byte
	word wordIDs
	err  error
}

func (e *encoder) num(n int) { e.b = binary.AppendUvarint(e.b, uint64(max(n, 0))) }

func (e *encoder) text(s string) {
	e.num(len(s))
	e.b = append(e.b, s...)
}

func (e *encoder) w(s string) {
	if e.err != nil {
		return
	}
	id, err := e.word(s)
	if err != nil {
		e.err = err
		return
	}
	e.b = binary.AppendUvarint(e.b, uint64(id))
}

func (e *encoder) words(items []string) {
	e.num(len(items))
	for _, s := range items {
		e.w(s)
	}
}

func encodeSummary(c *scoring.Scorecard, startedAt, file, golden string, word wordIDs) ([]byte, error) {
	e := &encoder{b: []byte{summaryVersion}, word: word}
	e.w(c.Trainee)
	e.w(c.Scenario)
	e.w(string(c.Tier))
	e.num(int(c.Rules))
	e.num(c.Total)
	e.num(c.ClockMin)
	e.num(b2i(c.Resolved))
	e.w(string(c.HandedTo))
	e.text(startedAt)
	e.text(file)
	e.w(golden)
	findings := make([]string, len(c.Findings))
	for i, f := range c.Findings {
		findings[i] = string(f.Rule)
	}
	e.words(findings)
	var off []string
	for _, r := range c.Path {
		if !r.Auto && !r.OnPath && r.Due != "" {
			off = append(off, r.Due)
		}
	}
	e.words(off)
	e.num(b2i(c.Progress != nil))
	if c.Progress != nil {
		e.num(c.Progress.Earned)
		e.num(c.Progress.Of)
		e.words(c.Progress.Skipped)
	}
	e.num(c.GoldenClockMin)
	e.w(c.Playbook)
	return e.b, e.err
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// encodeGolden is a golden path as the goldens table holds it: per move,
// its id, tier and step (what a report compares; not the reasons), as
// text of the same shape as a summary's.
func encodeGolden(g []simulator.GoldenMove) string {
	e := &encoder{}
	e.num(len(g))
	for _, m := range g {
		e.text(m.Move)
		e.text(string(m.Tier))
		e.text(m.Step)
	}
	return string(e.b)
}

var errSummary = errors.New("bad summary")

type decoder struct {
	b     []byte
	err   error
	words *wordList
}

func (d *decoder) num() int {
	if d.err != nil {
		return 0
	}
	n, k := binary.Uvarint(d.b)
	if k <= 0 || n > 1<<40 {
		d.err = errSummary
		return 0
	}
	d.b = d.b[k:]
	return int(n)
}

func (d *decoder) text() string {
	n := d.num()
	if d.err != nil || n > len(d.b) {
		d.err = errSummary
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// transient is text() without a copy: the string shares the row's bytes
// and is good only until the next row is read (see Summary).
func (d *decoder) transient() string {
	n := d.num()
	if d.err != nil || n > len(d.b) {
		d.err = errSummary
		return ""
	}
	var s string
	if n > 0 {
		s = unsafe.String(&d.b[0], n)
	}
	d.b = d.b[n:]
	return s
}

func (d *decoder) w() string {
	id := d.num()
	if d.err != nil {
		return ""
	}
	if id >= len(d.words.present) || !d.words.present[id] {
		d.err = errors.New("a word that is not stored")
		return ""
	}
	return d.words.text[id]
}

// A wordList is the words table: text by id.
type wordList struct {
	text    []string
	present []bool
}

func decodeGolden(s string) ([]simulator.GoldenMove, error) {
	d := &decoder{b: []byte(s)}
	n := d.num()
	if n < 0 || n > 1<<16 {
		return nil, errSummary
	}
	g := make([]simulator.GoldenMove, 0, n)
	for range n {
		g = append(g, simulator.GoldenMove{Move: d.text(), Tier: playbooks.TierName(d.text()), Step: d.text()})
	}
	if d.err != nil || len(d.b) > 0 {
		return nil, errSummary
	}
	return g, nil
}

// A summaryDecoder reads summaries into one reused scorecard.
type summaryDecoder struct {
	d        decoder
	goldens  map[string][]simulator.GoldenMove
	card     scoring.Scorecard
	progress scoring.Progress
	sm       Summary
}

func newSummaryDecoder(words *wordList, goldens map[string][]simulator.GoldenMove) *summaryDecoder {
	return &summaryDecoder{d: decoder{words: words}, goldens: goldens}
}

func (x *summaryDecoder) decode(b []byte) (*Summary, error) {
	d := &x.d
	if len(b) == 0 || b[0] < 1 || b[0] > summaryVersion {
		return nil, errors.New("unknown summary version")
	}
	version := b[0]
	d.b, d.err = b[1:], nil
	c := &x.card
	c.Trainee = d.w()
	c.Scenario = d.w()
	c.Tier = playbooks.TierName(d.w())
	c.Rules = simulator.Rules(d.num())
	c.Total = d.num()
	c.ClockMin = d.num()
	c.Resolved = d.num() == 1
	c.HandedTo = playbooks.TierName(d.w())
	x.sm.StartedAt = d.transient()
	x.sm.File = d.transient()
	key := d.w()
	c.Findings = c.Findings[:0]
	for n := d.num(); n > 0 && d.err == nil; n-- {
		c.Findings = append(c.Findings, scoring.Finding{Rule: scoring.RuleID(d.w())})
	}
	c.Path = c.Path[:0]
	for n := d.num(); n > 0 && d.err == nil; n-- {
		c.Path = append(c.Path, scoring.PathRow{Due: d.w()})
	}
	c.Progress = nil
	if d.num() == 1 {
		x.progress.Earned = d.num()
		x.progress.Of = d.num()
		x.progress.Skipped = x.progress.Skipped[:0]
		for n := d.num(); n > 0 && d.err == nil; n-- {
			x.progress.Skipped = append(x.progress.Skipped, d.w())
		}
		c.Progress = &x.progress
	}
	c.GoldenClockMin, c.Playbook = 0, ""
	if version >= 2 {
		c.GoldenClockMin = d.num()
		c.Playbook = d.w()
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) > 0 {
		return nil, errSummary
	}
	g, ok := x.goldens[key]
	if !ok {
		return nil, errors.New("its golden path is not stored")
	}
	c.Golden = g
	x.sm.Card = c
	return &x.sm, nil
}
