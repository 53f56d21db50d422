package store

import (
	"errors"
	"strconv"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
)

// A summary is what a report counts of a scorecard, in one text column a
// report reads without decoding JSON: a version, then fields, each its
// byte length, a colon and its bytes (so any text fits), lists as their
// length and then their items. A report over a million stored attempts
// reads one such column a row.
//
//	s1 trainee scenario tier rules total clock resolved handed_to
//	   started_at file golden_key [findings] [off-path steps]
//	   progress(0|1) [skipped moves]
const summaryVersion = "s1"

type encoder struct{ b strings.Builder }

func (e *encoder) str(s string) {
	e.b.WriteString(strconv.Itoa(len(s)))
	e.b.WriteByte(':')
	e.b.WriteString(s)
}

func (e *encoder) num(n int) { e.str(strconv.Itoa(n)) }

func (e *encoder) list(items []string) {
	e.num(len(items))
	for _, s := range items {
		e.str(s)
	}
}

func encodeSummary(c *scoring.Scorecard, startedAt, file, golden string) string {
	var e encoder
	e.str(summaryVersion)
	e.str(c.Trainee)
	e.str(c.Scenario)
	e.str(string(c.Tier))
	e.num(int(c.Rules))
	e.num(c.Total)
	e.num(c.ClockMin)
	e.num(b2i(c.Resolved))
	e.str(string(c.HandedTo))
	e.str(startedAt)
	e.str(file)
	e.str(golden)
	findings := make([]string, len(c.Findings))
	for i, f := range c.Findings {
		findings[i] = string(f.Rule)
	}
	e.list(findings)
	var off []string
	for _, r := range c.Path {
		if !r.Auto && !r.OnPath && r.Due != "" {
			off = append(off, r.Due)
		}
	}
	e.list(off)
	e.num(b2i(c.Progress != nil))
	if c.Progress != nil {
		e.num(c.Progress.Earned)
		e.num(c.Progress.Of)
		e.list(c.Progress.Skipped)
	}
	return e.b.String()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// encodeGolden is a golden path as the goldens table holds it: per move,
// its id, tier and step (what a report compares; not the reasons).
func encodeGolden(g []simulator.GoldenMove) string {
	var e encoder
	e.num(len(g))
	for _, m := range g {
		e.str(m.Move)
		e.str(string(m.Tier))
		e.str(m.Step)
	}
	return e.b.String()
}

var errSummary = errors.New("bad summary")

type decoder struct {
	b   []byte
	err error
	// intern keeps one copy of each string: a million rows name a few
	// trainees, tiers, scenarios and rules.
	intern map[string]string
}

func (d *decoder) str() string {
	if d.err != nil {
		return ""
	}
	n, i := 0, 0
	for ; i < len(d.b) && d.b[i] != ':'; i++ {
		c := d.b[i]
		if c < '0' || c > '9' || i > 8 {
			d.err = errSummary
			return ""
		}
		n = n*10 + int(c-'0')
	}
	if i == 0 || i >= len(d.b) || len(d.b)-i-1 < n {
		d.err = errSummary
		return ""
	}
	raw := d.b[i+1 : i+1+n]
	d.b = d.b[i+1+n:]
	if d.intern == nil {
		return string(raw)
	}
	if s, ok := d.intern[string(raw)]; ok {
		return s
	}
	s := string(raw)
	if len(d.intern) < 1<<16 {
		d.intern[s] = s
	}
	return s
}

func (d *decoder) num() int {
	if d.err != nil {
		return 0
	}
	n, i := 0, 0
	for ; i < len(d.b) && d.b[i] != ':'; i++ {
	}
	if i == 0 || i >= len(d.b) {
		d.err = errSummary
		return 0
	}
	l, err := strconv.Atoi(string(d.b[:i]))
	if err != nil || l > 20 || len(d.b)-i-1 < l {
		d.err = errSummary
		return 0
	}
	n, err = strconv.Atoi(string(d.b[i+1 : i+1+l]))
	if err != nil {
		d.err = errSummary
		return 0
	}
	d.b = d.b[i+1+l:]
	return n
}

func decodeGolden(s string) ([]simulator.GoldenMove, error) {
	d := &decoder{b: []byte(s)}
	n := d.num()
	if n < 0 || n > 1<<16 {
		return nil, errSummary
	}
	g := make([]simulator.GoldenMove, 0, n)
	for range n {
		g = append(g, simulator.GoldenMove{Move: d.str(), Tier: playbooks.TierName(d.str()), Step: d.str()})
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

func newSummaryDecoder(goldens map[string][]simulator.GoldenMove) *summaryDecoder {
	return &summaryDecoder{d: decoder{intern: map[string]string{}}, goldens: goldens}
}

func (x *summaryDecoder) decode(b []byte) (*Summary, error) {
	d := &x.d
	d.b, d.err = b, nil
	if d.str() != summaryVersion {
		return nil, errors.New("unknown summary version")
	}
	c := &x.card
	c.Trainee = d.str()
	c.Scenario = d.str()
	c.Tier = playbooks.TierName(d.str())
	c.Rules = simulator.Rules(d.num())
	c.Total = d.num()
	c.ClockMin = d.num()
	c.Resolved = d.num() == 1
	c.HandedTo = playbooks.TierName(d.str())
	x.sm.StartedAt = d.str()
	x.sm.File = d.str()
	key := d.str()
	c.Findings = c.Findings[:0]
	for n := d.num(); n > 0 && d.err == nil; n-- {
		c.Findings = append(c.Findings, scoring.Finding{Rule: scoring.RuleID(d.str())})
	}
	c.Path = c.Path[:0]
	for n := d.num(); n > 0 && d.err == nil; n-- {
		c.Path = append(c.Path, scoring.PathRow{Due: d.str()})
	}
	c.Progress = nil
	if d.num() == 1 {
		x.progress.Earned = d.num()
		x.progress.Of = d.num()
		x.progress.Skipped = x.progress.Skipped[:0]
		for n := d.num(); n > 0 && d.err == nil; n-- {
			x.progress.Skipped = append(x.progress.Skipped, d.str())
		}
		c.Progress = &x.progress
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
