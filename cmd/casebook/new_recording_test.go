package main

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
)

// movePrompter picks the menu entries in order and takes every offered
// time as it is, remembering each.
type movePrompter struct {
	t        *testing.T
	picks    []string // menu labels, in order
	defaults []string // the times offered, in order
}

func (p *movePrompter) Select(message string, options []string, def string) (string, error) {
	p.t.Helper()
	if len(p.picks) == 0 {
		p.t.Fatalf("asked %q with no move left to pick", message)
	}
	pick := p.picks[0]
	p.picks = p.picks[1:]
	if !slices.Contains(options, pick) {
		p.t.Fatalf("%q is not on the menu %q", pick, options)
	}
	return pick, nil
}

func (p *movePrompter) Menu(message string, options []menuOption) (int, error) {
	p.t.Helper()
	return menuBySelect(p.Select, message, options)
}

func (p *movePrompter) MultiSelect(message string, options []string, defs []string) ([]string, error) {
	return defs, nil
}

func (p *movePrompter) Input(message, def string) (string, error) {
	p.defaults = append(p.defaults, def)
	return def, nil
}

func (p *movePrompter) Confirm(message string, def bool) (bool, error) { return def, nil }

// menuLabels maps the moves to their labels on the scenario's menu.
func menuLabels(t *testing.T, scenario, tier string, moves []string) []string {
	t.Helper()
	files, _, err := scenarios.EmbeddedFiles(playbooks.DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	sl := scenarios.Load(playbooks.Load(files))
	sc := sl.Find(scenario)
	ss, err := simulator.NewManual(sl.Playbook(sc), sc, playbooks.TierName(tier))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range moves {
		i := slices.IndexFunc(ss.Menu(), func(o simulator.Option) bool { return o.ID == m })
		if i < 0 {
			t.Fatalf("%s is not on the menu of %s at %s", m, scenario, tier)
		}
		out = append(out, ss.Menu()[i].Label)
	}
	return out
}

// TestNewRecordingOffersEachMoveAfterItsCost checks that on a terminal
// `new recording` offers, as the time of each move, the time of the move
// before plus what the move costs on the scenario's channel.
func TestNewRecordingOffersEachMoveAfterItsCost(t *testing.T) {
	start := time.Date(2023, 10, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name, scenario, tier string
		moves                []string
		gaps                 []time.Duration // after the first move
	}{
		{"by chat a probe takes 3m, a look-up 2m, closing 1m", "https-proxy-cname", "L2",
			[]string{"lookup:ssl_tracking", "probe:certificate", "lookup:click_tracking", "dns:cname_target", "close"},
			[]time.Duration{3 * time.Minute, 2 * time.Minute, 2 * time.Minute, time.Minute}},
		{"by email a look-up and DNS still take 2m, a question 4h", "https-certificate-not-yet-valid", "L2",
			[]string{"probe:certificate", "lookup:ssl_tracking", "dns:cname_target", "ask:click_tracking", "close"},
			[]time.Duration{2 * time.Minute, 2 * time.Minute, 4 * time.Hour, time.Minute}},
		{"an action takes 5m, a reply 4m", "https-proxy-cname", "L2",
			[]string{"lookup:ssl_tracking", "action:enable_ssl_tracking", "reply:ssl-enabled", "close"},
			[]time.Duration{5 * time.Minute, 4 * time.Minute, time.Minute}},
		{"a trap takes its own cost, a handoff 30m", "https-proxy-cname", "L1",
			[]string{"lookup:ssl_tracking", "trap:send-blog-post", "escalate:L2", "close"},
			[]time.Duration{time.Hour, 30 * time.Minute, time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "lib")
			streams, _, errOut := terminalStreams()
			if code := runWith([]string{"init", dir}, streams, nil); code != 0 {
				t.Fatalf("init: exit %d: %s", code, errOut)
			}
			p := &movePrompter{t: t, picks: menuLabels(t, tt.scenario, tt.tier, tt.moves)}
			streams, _, errOut = terminalStreams()
			args := []string{"new", "recording", "--scenario", tt.scenario, "--tier", tt.tier, "--force",
				"--start", start.Format(time.RFC3339), "--library", dir}
			if code := runWith(args, streams, func(f *factory) { f.prompter = p }); code != 0 {
				t.Fatalf("new recording: exit %d: %s", code, errOut)
			}
			want := []string{start.Format(time.RFC3339)}
			at := start
			for _, d := range tt.gaps {
				at = at.Add(d)
				want = append(want, at.Format(time.RFC3339))
			}
			if !slices.Equal(p.defaults, want) {
				t.Errorf("after %v the times offered were\n%v, want\n%v", tt.moves, p.defaults, want)
			}
		})
	}
}

func (p *movePrompter) Password(message string) (string, error) { return "", nil }
