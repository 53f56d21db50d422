package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Reviews of one playbook run at the same time must all land, each
// bumping the patch version from what the one before it wrote.
func TestConcurrentReviewsOfOneFileAllLand(t *testing.T) {
	lib := filepath.Join(t.TempDir(), "lib")
	var out, errOut bytes.Buffer
	if code := run([]string{"init", lib}, &ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}); code != 0 {
		t.Fatalf("init: exit %d: %s", code, errOut.String())
	}
	file := filepath.Join(lib, "playbooks", "https-link-branding.yaml")
	const n = 6
	outs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out, errOut bytes.Buffer
			streams := &ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
			// (--force: the reviews land in any order, so some record an
			// older release than the one before; the guard is not at test.)
			code := run([]string{"release", "review", "https-link-branding", "--for", fmt.Sprintf("2024.%d", i+2), "--library", lib, "--force"}, streams)
			outs[i] = fmt.Sprintf("exit %d: %s%s", code, out.String(), errOut.String())
		}()
	}
	wg.Wait()
	// Each review saw a different version before it: none was lost.
	var from []string
	re := regexp.MustCompile(`^exit 0: reviewed https-link-branding: (2\.1\.\d+) → `)
	for _, o := range outs {
		m := re.FindStringSubmatch(o)
		if m == nil {
			t.Fatalf("a review did not succeed: %s", o)
		}
		from = append(from, m[1])
	}
	sort.Strings(from)
	if got := strings.Join(from, " "); got != "2.1.0 2.1.1 2.1.2 2.1.3 2.1.4 2.1.5" {
		t.Errorf("the reviews started from versions %s; some update was lost", got)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if v := regexp.MustCompile(`(?m)^version: .*$`).Find(data); string(v) != "version: 2.1.6" {
		t.Errorf("after %d reviews the file holds %q, want version: 2.1.6", n, v)
	}
}
