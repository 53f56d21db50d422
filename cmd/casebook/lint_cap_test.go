package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
)

func TestLintJSONCarriesTheCountOfFindingsLeftOut(t *testing.T) {
	badEnv(t)
	var out, errOut bytes.Buffer
	streams := &ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	if code := runWith([]string{"lint", "-o", "json", "testdata/bad/pb-many-unknown-keys.yaml"}, streams, nil); code != exitFindings {
		t.Fatalf("exit %d, want %d; stderr: %s", code, exitFindings, errOut.String())
	}
	var report lintReport
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		t.Fatal(err)
	}
	if n := len(report.Findings); n != playbooks.MaxFindingsPerRule+1 {
		t.Fatalf("%d findings, want %d and a summary", n, playbooks.MaxFindingsPerRule)
	}
	last := report.Findings[len(report.Findings)-1]
	if last.Rule != playbooks.RuleUnknownKey || last.More != 2900 || last.Message != "... and 2900 more like this" {
		t.Errorf("summary %+v, want 2900 more unknown keys", last)
	}
}
