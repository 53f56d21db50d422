package main

import (
	"slices"
	"testing"
	"time"

	"github.com/casebook/casebook/simulator"
)

// movePrompter picks moves from the menu by id and takes the time it is
// offered for each, remembering it.
type movePrompter struct {
	t       *testing.T
	labels  map[string]string // move id -> menu label
	moves   []string
	offered []string
}

func (p *movePrompter) Select(message string, options []string, def string) (string, error) {
	id := p.moves[0]
	p.moves = p.moves[1:]
	if !slices.Contains(options, p.labels[id]) {
		p.t.Fatalf("no option for %s among %q", id, options)
	}
	return p.labels[id], nil
}

func (p *movePrompter) MultiSelect(message string, options []string, defs []string) ([]string, error) {
	return defs, nil
}

func (p *movePrompter) Input(message, def string) (string, error) {
	p.offered = append(p.offered, def)
	return def, nil
}

func (p *movePrompter) Confirm(string, bool) (bool, error) { return true, nil }

// Re-enacting a recording offers, for each move after the first, the time
// before it plus what a move of its kind costs on the channel: a refused
// action is offered an action's time, since the time is asked before the
// move is played.
func TestNewRecordingOffersEachMoveItsKindsCost(t *testing.T) {
	streams, _, _ := terminalStreams()
	f := newFactory(streams)
	lib, err := f.library()
	if err != nil {
		t.Fatal(err)
	}
	sc := lib.Scenarios.Find("https-proxy-cname") // chat
	p := lib.Scenarios.Playbook(sc)
	ss, err := simulator.NewManual(p, sc, "L1")
	if err != nil {
		t.Fatal(err)
	}
	pm := &movePrompter{t: t, labels: map[string]string{}, moves: []string{
		"lookup:ssl_tracking", "probe:certificate", "dns:cname_target", "ask:click_tracking",
		"trap:resend-docs", "action:enable_ssl_tracking", "escalate:L2", "action:enable_ssl_tracking", "reply:ssl-enabled", "close",
	}}
	for _, o := range ss.Menu() {
		pm.labels[o.ID] = o.Label
	}
	f.prompter = pm
	steps, err := promptedRecording(f, ss, "2023-10-02T09:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2023, 10, 2, 9, 0, 0, 0, time.UTC)
	var want []string
	at := start
	for _, d := range []time.Duration{0, 3 * time.Minute, 2 * time.Minute, 4 * time.Minute, 24 * time.Hour,
		5 * time.Minute, 30 * time.Minute, 5 * time.Minute, 4 * time.Minute, time.Minute} {
		at = at.Add(d)
		want = append(want, at.Format(time.RFC3339))
	}
	if !slices.Equal(pm.offered, want) {
		t.Errorf("offered times\n got: %v\nwant: %v", pm.offered, want)
	}
	if len(steps) != len(want) || !ss.Over() {
		t.Errorf("recorded %d moves (closed: %v), want %d and closed", len(steps), ss.Over(), len(want))
	}
}
