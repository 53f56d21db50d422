package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/spf13/cobra"
)

// An example is one command line from README.md or a command's Example,
// run as printed by TestExamplesRunAsPrinted.
type example struct {
	where string   // README.md:LINE or "casebook run --help:LINE"
	line  string   // the command as printed
	env   []string // variables the example sets elsewhere (a workflow's env:)
	exit  int      // the exit code it documents with "(exit N)"
	skip  string   // why it is not run: it needs a terminal or the network
}

var (
	exitMarker = regexp.MustCompile(`#.*\(exit (\d+)\)`)
	skipMarker = regexp.MustCompile(`#.*\b(on a terminal|needs the network|runs until stopped)\b`)
	envWord    = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*=`)
)

// newExample reads the markers of a command line: a comment holding
// "(exit N)" documents that it exits N, one saying "on a terminal" or
// "needs the network" that it cannot run here.
func newExample(where, line string) example {
	ex := example{where: where, line: line}
	if m := exitMarker.FindStringSubmatch(line); m != nil {
		ex.exit, _ = strconv.Atoi(m[1])
	}
	if m := skipMarker.FindStringSubmatch(line); m != nil {
		ex.skip = m[1]
	}
	return ex
}

// runsCasebook reports whether a shell line is a casebook command: its
// first word, after VAR=value assignments, is casebook, or it pipes into
// casebook.
func runsCasebook(line string) bool {
	words := strings.Fields(line)
	for len(words) > 0 && envWord.MatchString(words[0]) {
		words = words[1:]
	}
	return len(words) > 0 && words[0] == "casebook" || strings.Contains(line, "| casebook ")
}

// joinContinued joins lines ending in a backslash with the next, keeping
// the number of each command's first line.
func joinContinued(lines []string, first int) (cmds []string, nums []int) {
	for i := 0; i < len(lines); i++ {
		n, l := first+i, lines[i]
		for strings.HasSuffix(l, `\`) && i+1 < len(lines) {
			i++
			l = strings.TrimSuffix(l, `\`) + " " + strings.TrimSpace(lines[i])
		}
		cmds, nums = append(cmds, strings.TrimSpace(l)), append(nums, n)
	}
	return cmds, nums
}

var (
	workflowRun = regexp.MustCompile(`^\s*- run: (casebook .*)$`)
	workflowEnv = regexp.MustCompile(`^\s*env: \{(.*)\}\s*$`)
	envPair     = regexp.MustCompile(`([A-Z_][A-Z0-9_]*): "([^"]*)"`)
)

// readmeExamples extracts the examples of README.md: in ```sh blocks, the
// lines after a "$ " prompt when the block shows prompts, otherwise every
// casebook line; in ```yaml blocks, the casebook steps of a GitHub Actions
// workflow (`- run: casebook ...`) with the env: line that follows them.
func readmeExamples(t *testing.T, name string) []example {
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var out []example
	var lang string
	var block []string
	start := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if !strings.HasPrefix(line, "```") {
			if lang != "" {
				block = append(block, line)
			}
			continue
		}
		if lang == "" {
			lang, block, start = strings.TrimPrefix(line, "```"), nil, n+1
			if lang == "" {
				lang = "text"
			}
			continue
		}
		switch lang {
		case "sh":
			prompts := false
			for _, l := range block {
				prompts = prompts || strings.HasPrefix(l, "$ ")
			}
			cmds, nums := joinContinued(block, start)
			for i, c := range cmds {
				if prompts {
					if !strings.HasPrefix(c, "$ ") {
						continue // output
					}
					c = strings.TrimPrefix(c, "$ ")
				}
				if runsCasebook(c) {
					out = append(out, newExample(fmt.Sprintf("%s:%d", filepath.Base(name), nums[i]), c))
				}
			}
		case "yaml":
			for i, l := range block {
				m := workflowRun.FindStringSubmatch(l)
				if m == nil {
					continue
				}
				ex := newExample(fmt.Sprintf("%s:%d", filepath.Base(name), start+i), m[1])
				if i+1 < len(block) {
					if e := workflowEnv.FindStringSubmatch(block[i+1]); e != nil {
						for _, p := range envPair.FindAllStringSubmatch(e[1], -1) {
							ex.env = append(ex.env, p[1]+"="+p[2])
						}
					}
				}
				out = append(out, ex)
			}
		}
		lang = ""
	}
	if lang != "" {
		t.Fatalf("%s: a code block opened at line %d never closes", name, start-1)
	}
	return out
}

// helpExamples extracts every command's Example lines, walking the tree.
func helpExamples() []example {
	streams := &ioStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	var out []example
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		cmds, nums := joinContinued(strings.Split(c.Example, "\n"), 1)
		for i, l := range cmds {
			if runsCasebook(l) {
				out = append(out, newExample(fmt.Sprintf("%s --help:%d", c.CommandPath(), nums[i]), l))
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(newFactory(streams)))
	return out
}

// TestExamplesRunAsPrinted runs every example of README.md and of each
// command's --help, each in a fresh copy of a fixture: the libraries and
// files the examples name, made with casebook itself. Each must exit 0 (or
// the code it documents) without an unknown flag or a crash. The markers
// are described in docs/architecture.md (Tests).
func TestExamplesRunAsPrinted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the examples are POSIX shell")
	}
	for _, tool := range []string{"bash", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the examples need %s: %v", tool, err)
		}
	}
	examples := append(readmeExamples(t, "../../README.md"), helpExamples()...)
	if len(examples) < 40 {
		t.Fatalf("found only %d examples: is the convention still followed?", len(examples))
	}
	fixture := exampleFixture(t)
	bin := t.TempDir()
	for _, tool := range []string{"jq", "dot"} {
		// Examples pipe into these; where one is missing, a stand-in
		// reads its input, so casebook's part still runs.
		if _, err := exec.LookPath(tool); err != nil {
			if err := os.WriteFile(filepath.Join(bin, tool), []byte("#!/bin/sh\ncat >/dev/null\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	// testscript.Main (TestMain) put casebook, this test binary, on PATH.
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "HOME" || k == "PATH" || strings.HasPrefix(k, "CASEBOOK_") || strings.HasPrefix(k, "XDG_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "GORACE=atexit_sleep_ms=0")

	for _, ex := range examples {
		t.Run(ex.where, func(t *testing.T) {
			if ex.skip != "" {
				t.Skipf("not run here, %s: %s", ex.skip, ex.line)
			}
			t.Parallel()
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(fixture)); err != nil {
				t.Fatal(err)
			}
			if target, ok := initTarget(ex.line); ok {
				// casebook init DIR runs before DIR exists.
				if err := os.RemoveAll(filepath.Join(dir, target)); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, "bash", "-c", "set -o pipefail\n"+ex.line)
			cmd.Dir = dir
			cmd.Env = append(append(slices.Clip(env), "HOME="+dir), ex.env...) // a copy: subtests run in parallel
			out, err := cmd.CombinedOutput()
			code := 0
			if err != nil {
				var ee *exec.ExitError
				if !errors.As(err, &ee) {
					t.Fatalf("%s: %v", ex.line, err)
				}
				code = ee.ExitCode()
			}
			if code != ex.exit {
				t.Errorf("%s\nexited %d, want %d; output:\n%s", ex.line, code, ex.exit, out)
			}
			for _, bad := range []string{"unknown flag", "unknown shorthand flag", "unknown command", "panic:", "internal error"} {
				if bytes.Contains(out, []byte(bad)) {
					t.Errorf("%s\nprinted %q:\n%s", ex.line, bad, out)
				}
			}
		})
	}
}

// initTarget is the DIR of a `casebook init DIR` example.
func initTarget(line string) (string, bool) {
	words := strings.Fields(line)
	if len(words) >= 3 && words[0] == "casebook" && words[1] == "init" && !strings.HasPrefix(words[2], "-") {
		return words[2], true
	}
	return "", false
}

// exampleFixture makes, once, the directory every example starts from: an
// init library in the directory itself (playbooks/, scenarios/) and in
// support-library, library and my-library; the files examples name; the
// attempts train saves under $HOME; and a git history in which
// https-link-branding was 2.0.0 at tag v2.0.0 and HEAD~1.
func exampleFixture(t *testing.T) string {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
	casebook := func(args ...string) {
		t.Helper()
		var out, errOut bytes.Buffer
		streams := &ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
		code := runWith(args, streams, func(f *factory) {
			f.getenv = func(string) string { return "" }
		})
		if code != 0 {
			t.Fatalf("fixture: casebook %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
		}
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(at(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(at(name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(name string) string {
		t.Helper()
		data, err := os.ReadFile(at(name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=casebook", "-c", "user.email=casebook@example.com", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("fixture: git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}

	for _, lib := range []string{".", "support-library", "library", "my-library"} {
		casebook("init", at(lib))
	}
	const playbook = "playbooks/https-link-branding.yaml"
	current := read(playbook)
	older := strings.Replace(current, "version: 2.1.0", "version: 2.0.0", 1)
	if older == current {
		t.Fatalf("fixture: %s no longer says version: 2.1.0", playbook)
	}
	write("old/https-link-branding.yaml", older)
	write("a.yaml", older)
	write("b.yaml", current)
	write("extra/https.yaml", strings.Replace(current, "id: https-link-branding", "id: https-extra", 1))
	write("old/https.yaml", current)
	write("new/https.yaml", strings.NewReplacer("version: 2.1.0", "version: 2.2.0",
		"ui: admin/accounts/tracking/ssl", "ui: admin/accounts/ssl").Replace(current))

	write("moves.txt", strings.Join(goldenL1, "\n")+"\n")
	write("handling.txt", "2023-10-02T09:04:00Z lookup:ssl_tracking\n+5m lookup:click_tracking\n+5m escalate:L2\n")
	write("case-1234.yaml", "ssl_tracking: off\nclick_tracking: on\nbranded_domains: links.example.com\n"+
		"link_branding: verified\ncertificate: valid\ncname_target: platform\n")
	ar, err := txtar.ParseFile("testdata/script/replay_rules.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		if f.Name == "v1-guess.attempt" {
			write("old.attempt", string(f.Data)) // made under rules v1
		}
	}

	// Attempts where train saves them ($HOME/.local/share/casebook/attempts,
	// one not finished, so --resume can continue it) and in team folders.
	write("first-moves.txt", "lookup:ssl_tracking\nlookup:click_tracking\n")
	for i, dest := range []string{
		".local/share/casebook/attempts/https-proxy-cname-sam-20261121T101500Z.attempt",
		"team-a/ana.attempt", "team-a/bo.attempt", "team-b/cy.attempt", "attempts/dee.attempt",
	} {
		moves := "moves.txt"
		if i == 0 {
			moves = "first-moves.txt"
		}
		tmp := t.TempDir()
		casebook("train", "https-proxy-cname", "--seed", strconv.Itoa(i+1), "--attempts", tmp, "--moves", at(moves), "-o", "json")
		made, err := filepath.Glob(filepath.Join(tmp, "*.attempt"))
		if err != nil || len(made) != 1 {
			t.Fatalf("fixture: train saved %v (%v)", made, err)
		}
		data, err := os.ReadFile(made[0])
		if err != nil {
			t.Fatal(err)
		}
		write(dest, string(data))
	}

	// A team's store, holding the team folders' attempts, and its accounts.
	casebook("store", "import", at("team-a"), at("team-b"), "--store", "sqlite:"+at("team.db"))
	for _, name := range []string{"ana", "tom"} {
		var out, errOut bytes.Buffer
		streams := &ioStreams{In: strings.NewReader("a long password\n"), Out: &out, ErrOut: &errOut}
		if code := runWith([]string{"users", "add", name, "--store", "sqlite:" + at("team.db")}, streams, func(f *factory) {
			f.getenv = func(string) string { return "" }
		}); code != 0 {
			t.Fatalf("fixture: users add %s: exit %d\n%s", name, code, errOut.String())
		}
	}
	casebook("users", "assign", "ana", "https-proxy-cname", "--tier", "L1", "--store", "sqlite:"+at("team.db"))

	// A history for diff ID@REV: 2.0.0 at v2.0.0 and HEAD~1, 2.1.0 at HEAD.
	git("init", "-q", "--template=")
	for _, lib := range []string{".", "support-library", "library", "my-library"} {
		write(filepath.Join(lib, playbook), older)
	}
	git("add", ".")
	git("commit", "-q", "-m", "2.0.0")
	git("tag", "v2.0.0")
	for _, lib := range []string{".", "support-library", "library", "my-library"} {
		write(filepath.Join(lib, playbook), current)
	}
	git("commit", "-q", "-am", "2.1.0")
	// Copies share the history through a .git file: copying the objects
	// for each example would cost more than running it.
	gitDir := filepath.Join(t.TempDir(), "fixture.git")
	if err := os.Rename(at(".git"), gitDir); err != nil {
		t.Fatal(err)
	}
	write(".git", "gitdir: "+gitDir+"\n")
	return dir
}

// suggested finds the casebook commands a message tells the user to run:
// "(casebook ...)", "Next: casebook ... and casebook ...", "with: casebook ...".
func suggested(out string) []string {
	out = strings.NewReplacer(" and ", "\n", ", then ", "\n").Replace(out)
	var cmds []string
	for _, c := range suggestion.FindAllString(out, -1) {
		if !slices.Contains(cmds, c) {
			cmds = append(cmds, c)
		}
	}
	return cmds
}

var suggestion = regexp.MustCompile(`casebook [a-z][^\s(),]*(?: [^\s(),]+)*`)

// TestSuggestedCommandsRunAsPrinted runs what casebook tells the user to
// run next, pasted as printed, in the directory where it was printed.
func TestSuggestedCommandsRunAsPrinted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the commands are POSIX shell")
	}
	for _, tool := range []string{"bash", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the fixture needs %s: %v", tool, err)
		}
	}
	fixture := exampleFixture(t)
	tests := []struct {
		name, setup string
		exit        int // of setup
		want        int // suggestions printed
	}{
		{"release check names the library in release review", "casebook release check --manifest mailer@2024.2 ./library", 1, 1},
		{"release check on the embedded library points at init", "casebook release check --manifest mailer@2024.2", 1, 1},
		{"init suggests lint", "casebook init fresh", 0, 1},
		{"new playbook suggests lint and show in its library", `casebook new playbook password-reset --title "Reset a password" --product mailer --applies-to ">=2024.1" --owner accounts --intent password-reset --tier L1=lookup,reply,escalate --library ./library`, 0, 2},
		{"new scenario suggests lint and show in its library", `casebook new scenario https-expired-cert --playbook https-link-branding --opening "A certificate warning." --truth ssl_tracking=off --truth certificate=expired --library ./library`, 0, 2},
		{"new recording suggests replay in its library", "casebook new recording --scenario https-certificate-not-yet-valid --tier L1 --moves handling.txt --library ./library", 0, 1},
		{"train whose moves ran out suggests resume in its library", "casebook train https-proxy-cname --moves first-moves.txt --attempts att --library ./library", 0, 1},
		{"resuming a finished attempt suggests replay in its library", "casebook train https-proxy-cname --moves moves.txt --attempts att --library ./library -o json && casebook train --resume att/*.attempt --library ./library", 2, 1},
	}
	env := append(os.Environ(), "CASEBOOK_LIBRARY=", "GORACE=atexit_sleep_ms=0")
	sh := func(t *testing.T, dir, line string, stdin string) (string, int) {
		t.Helper()
		cmd := exec.Command("bash", "-c", line)
		cmd.Dir, cmd.Env, cmd.Stdin = dir, append(slices.Clip(env), "HOME="+dir), strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		switch {
		case err == nil:
			return string(out), 0
		case errors.As(err, &ee):
			return string(out), ee.ExitCode()
		}
		t.Fatalf("%s: %v", line, err)
		return "", 0
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(fixture)); err != nil {
				t.Fatal(err)
			}
			out, code := sh(t, dir, tt.setup, "")
			if code != tt.exit {
				t.Fatalf("%s\nexited %d, want %d:\n%s", tt.setup, code, tt.exit, out)
			}
			got := suggested(out)
			if len(got) != tt.want {
				t.Fatalf("%s\nsuggested %q, want %d command(s):\n%s", tt.setup, got, tt.want, out)
			}
			for _, s := range got {
				// A resumed script starts again with the moves it made.
				out, code := sh(t, dir, s, strings.Join(goldenL1, "\n")+"\n")
				if code != 0 {
					t.Errorf("%s printed\n  %s\nwhich exited %d:\n%s", tt.setup, s, code, out)
				}
			}
		})
	}
}

func TestExampleLinesAndMarkers(t *testing.T) {
	tests := []struct {
		name, line string
		runs       bool
		exit       int
		skip       string
	}{
		{"a casebook line runs and must exit 0", "casebook list", true, 0, ""},
		{"variables before casebook still make a casebook line", "CASEBOOK_LIBRARY=lib casebook list", true, 0, ""},
		{"a pipe into casebook is a casebook line", "printf 'a: b\\n' | casebook run x", true, 0, ""},
		{"another tool's line is not an example", "go run ./cmd/casebook train", false, 0, ""},
		{"(exit N) in the comment documents the code", "casebook release check --manifest m@1   # stale (exit 1)", true, 1, ""},
		{"on a terminal in the comment leaves it out", "casebook train   # pick one, on a terminal", true, 0, "on a terminal"},
		{"needs the network in the comment leaves it out", "casebook x   # needs the network", true, 0, "needs the network"},
		{"a marker outside a comment is no marker", `casebook new scenario --opening "works on a terminal (exit 1)"`, true, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := runsCasebook(tt.line); got != tt.runs {
				t.Errorf("runsCasebook(%q) = %v, want %v", tt.line, got, tt.runs)
			}
			ex := newExample("x", tt.line)
			if ex.exit != tt.exit || ex.skip != tt.skip {
				t.Errorf("newExample(%q) = exit %d, skip %q; want exit %d, skip %q", tt.line, ex.exit, ex.skip, tt.exit, tt.skip)
			}
		})
	}
}
