package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/gen"
	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/simulator"
)

// cli runs casebook in-process and returns its exit code, stdout and
// stderr.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	streams := &ioStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut}
	// A clock a minute ahead: the files just written count as settled, so
	// the index and list's cache keep them (and must notice every edit).
	code := runWith(args, streams, func(f *factory) { f.now = func() time.Time { return time.Now().Add(time.Minute) } })
	return code, out.String(), errOut.String()
}

// attemptLine is the line train prints on stderr naming its attempt file,
// whose name has the time in it.
var attemptLine = regexp.MustCompile(`(?m)^attempt: .*\n`)

// Commands that use one playbook or scenario load only its files; what
// they print is what they print with the whole library loaded
// (CASEBOOK_INDEX=off), on a cold index and a warm one, including their
// refusals of a broken file, and whatever unrelated files hold.
func TestFocusedCommandsPrintWhatTheWholeLibraryPrints(t *testing.T) {
	tmp := badEnv(t)
	lib := filepath.Join(tmp, "lib")
	if err := gen.Library(lib, 60, 3); err != nil {
		t.Fatal(err)
	}
	sl, _, err := gen.Load(lib)
	if err != nil {
		t.Fatal(err)
	}
	sc := sl.Scenarios[0]
	p := sl.Playbook(sc)
	other := ""
	files, _, _ := playbooks.ListPaths([]string{filepath.Join(lib, "playbooks")}, playbooks.DefaultMaxFileSize)
	for _, f := range files {
		src, _ := f.Read()
		if h := playbooks.PeekHeader(src); h.OK && h.ID != p.ID {
			other = h.ID
			break
		}
	}
	// Unrelated files that are broken, or whose header says nothing
	// plainly (loaded whatever the focus), or of another kind.
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(lib, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("broken.yaml", "casebook: playbook/v1\nid: broken\nsteps: [\n")
	write("flow.yaml", "{casebook: playbook/v1, id: flow-one, version: 1.0.0}\n")
	write("release.yaml", "casebook: release/v1\nproduct: x\nversion: 1.0.0\n")
	// A second file of the focused playbook's id, broken: the focus
	// loads it, so the refusal is the same.
	brokenTwin := filepath.Join(lib, "twin.yaml")

	golden, err := goldenMoves(p, sc)
	if err != nil {
		t.Fatal(err)
	}
	moves := filepath.Join(tmp, "moves.txt")
	os.WriteFile(moves, []byte(strings.Join(golden, "\n")+"\n"), 0o644)

	cases := [][]string{
		{"show", p.ID},
		{"show", p.ID, "-o", "json"},
		{"show", p.ID, "-o", "mermaid"},
		{"show", sc.ID},
		{"show", sc.ID, "--golden", "--tier", string(p.Tiers[0].Name)},
		{"show", p.ID, "--golden"},
		{"show", "no-such-thing"},
		{"export", p.ID, "-o", "markdown"},
		{"export", other, "-o", "markdown"},
		{"train", sc.ID, "--moves", moves, "--seed", "3", "--trainee", "t", "--attempts", filepath.Join(tmp, "att"), "-o", "json"},
		{"train", "no-such-case", "--moves", moves},
		{"run", p.ID},
		{"list"},
		{"list", "-o", "json"},
		{"list", "--scenarios", "-o", "json"},
	}
	check := func(label string) {
		t.Helper()
		for _, args := range cases {
			args = append([]string{"--library", lib}, args...)
			t.Setenv("CASEBOOK_INDEX", "off")
			wantCode, wantOut, wantErr := cli(t, "", args...)
			t.Setenv("CASEBOOK_INDEX", "")
			for _, run := range []string{"cold", "warm"} {
				if run == "cold" {
					os.RemoveAll(filepath.Join(tmp, "cache"))
				}
				code, out, errOut := cli(t, "", args...)
				if code != wantCode || out != wantOut || attemptLine.ReplaceAllString(errOut, "") != attemptLine.ReplaceAllString(wantErr, "") {
					t.Errorf("%s, %s index: casebook %s\nexit %d, want %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s\nwant:\n%s",
						label, run, strings.Join(args, " "), code, wantCode, out, wantOut, errOut, wantErr)
				}
			}
		}
	}
	check("a clean library")

	// A resumed attempt loads its scenario's files too: the same
	// scorecard as with the whole library, from three copies of one
	// attempt broken off after two moves.
	att := filepath.Join(tmp, "resume")
	os.WriteFile(filepath.Join(tmp, "two.txt"), []byte(strings.Join(golden[:2], "\n")+"\n"), 0o644)
	if code, _, errOut := cli(t, "", "--library", lib, "train", sc.ID, "--moves", filepath.Join(tmp, "two.txt"), "--seed", "5", "--trainee", "r", "--attempts", att); code != exitOK && code != exitFindings {
		t.Fatalf("train two moves: exit %d\n%s", code, errOut)
	}
	made, _ := filepath.Glob(filepath.Join(att, "*.attempt"))
	if len(made) != 1 {
		t.Fatalf("attempts %v", made)
	}
	src0, _ := os.ReadFile(made[0])
	rest := filepath.Join(tmp, "rest.txt")
	os.WriteFile(rest, []byte(strings.Join(golden, "\n")+"\n"), 0o644)
	var outs []string
	for i, mode := range []string{"off", "", ""} {
		copyPath := filepath.Join(att, fmt.Sprintf("copy-%d.attempt", i))
		os.WriteFile(copyPath, src0, 0o644)
		if i == 1 {
			os.RemoveAll(filepath.Join(tmp, "cache"))
		}
		t.Setenv("CASEBOOK_INDEX", mode)
		code, out, errOut := cli(t, "", "--library", lib, "train", "--resume", copyPath, "--moves", rest, "-o", "json")
		outs = append(outs, fmt.Sprintf("exit %d\n%s\n%s", code, out, strings.ReplaceAll(errOut, copyPath, "ATTEMPT")))
	}
	t.Setenv("CASEBOOK_INDEX", "")
	if outs[1] != outs[0] || outs[2] != outs[0] {
		t.Errorf("train --resume, whole library:\n%s\nfocused, cold:\n%s\nwarm:\n%s", outs[0], outs[1], outs[2])
	}
	src, _ := os.ReadFile(p.File)
	os.WriteFile(brokenTwin, append(bytes.Replace(src, []byte("version: "), []byte("version: 9"), 1), []byte("\nnot yaml: [\n")...), 0o644)
	check("a broken file of the same playbook id")
	// A newer version whose id a line break only YAML sees hides from a
	// reader of lines, behind a title that says another id.
	os.Remove(brokenTwin)
	lying := bytes.Replace(src, []byte("\nid: "), []byte("\n# note\rid: "), 1)
	lying = regexp.MustCompile(`(?m)^version: .*$`).ReplaceAll(lying, []byte("version: 9.0.0"))
	lying = regexp.MustCompile(`(?m)^title: .*$`).ReplaceAll(lying, []byte("title: 'A title\nid: zzz-fake\nthat goes on'"))
	os.WriteFile(filepath.Join(lib, "lying.yaml"), lying, 0o644)
	check("a newer version whose header hides its id")
	if _, out, _ := cli(t, "", "--library", lib, "show", p.ID, "-o", "json"); !strings.Contains(out, `"version": "9.0.0"`) {
		t.Errorf("show %s does not show the newer version 9.0.0 the library holds:\n%.300s", p.ID, out)
	}
	os.Remove(filepath.Join(lib, "lying.yaml"))
	// The playbook's own file broken: its header still names it, the
	// focus loads it, and the command refuses it as the whole load does.
	os.Remove(brokenTwin)
	os.WriteFile(p.File, append(src, []byte("\nnot yaml: [\n")...), 0o644)
	check("the playbook's own file broken")
	// Broken where the header does not show it.
	os.WriteFile(p.File, bytes.Replace(src, []byte("\nsteps:"), []byte("\nsteps: [\nx:"), 1), 0o644)
	check("the playbook's own file broken below its header")
	if code, _, _ := cli(t, "", "--library", lib, "show", p.ID); code != exitCannotRun {
		t.Errorf("show of a playbook whose file does not parse: exit %d, want %d", code, exitCannotRun)
	}
	scSrc, _ := os.ReadFile(sc.File)
	os.WriteFile(p.File, src, 0o644)
	os.WriteFile(sc.File, append(scSrc, []byte("\nunknown_key: 1\n")...), 0o644)
	check("the scenario's file broken")
	if code, _, _ := cli(t, "", "--library", lib, "show", sc.ID); code != exitFindings {
		t.Errorf("show of a scenario with an unknown key: exit %d, want %d", code, exitFindings)
	}
}

// goldenMoves are the golden path's moves of a scenario at the lowest
// tier, as train reads them.
func goldenMoves(p *playbooks.Playbook, sc *scenarios.Scenario) ([]string, error) {
	g, err := simulator.GoldenPath(p, sc, p.Tiers[0])
	if err != nil {
		return nil, err
	}
	var moves []string
	for _, m := range g.Moves {
		moves = append(moves, m.Move)
	}
	return moves, nil
}
