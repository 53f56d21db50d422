package main

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/casebook/casebook/playbooks"
)

func TestWriteFindings(t *testing.T) {
	fs := []playbooks.Finding{
		{File: "a.yaml", Line: 3, Col: 5, Rule: "release-removed-ref", Severity: playbooks.SeverityError, Message: "ui x: removed, 100% gone"},
		{File: "a.yaml", Line: 9, Col: 1, Rule: "release-stale-review", Severity: playbooks.SeverityWarning, Message: "stale"},
		{File: "b,c:d.yaml", Line: 1, Col: 1, Rule: "unknown-key", Severity: playbooks.SeverityError, Message: "line\nbreak"},
	}
	report := findingsReport{
		findings: fs,
		json: func(fs []playbooks.Finding) any {
			return struct {
				N        int                 `json:"n"`
				Findings []playbooks.Finding `json:"findings"`
			}{7, fs}
		},
		suite:   "casebook release check mailer 2024.2",
		checked: []string{"a.yaml", "clean.yaml"},
	}
	withRules := report
	withRules.rules = []playbooks.RuleID{"release-removed-ref", "release-stale-review"}
	text := "a.yaml:3:5: ui x: removed, 100% gone [release-removed-ref]\n" +
		"a.yaml:9:1: warning: stale [release-stale-review]\n" +
		"b,c:d.yaml:1:1: line\\nbreak [unknown-key]\n"
	for _, tc := range []struct {
		name, format string
		report       findingsReport
		want         string
	}{
		{"text is one Text line per finding, warnings marked", "text", report, text},
		{"github is one annotation per finding, its level the severity, escaped", "github", report,
			"::error file=a.yaml,line=3,col=5,title=casebook release-removed-ref::ui x: removed, 100%25 gone\n" +
				"::warning file=a.yaml,line=9,col=1,title=casebook release-stale-review::stale\n" +
				"::error file=b%2Cc%3Ad.yaml,line=1,col=1,title=casebook unknown-key::line\\nbreak\n"},
		{"json is the command's document", "json", findingsReport{findings: fs[1:2], json: report.json},
			`{
  "n": 7,
  "findings": [
    {
      "file": "a.yaml",
      "line": 9,
      "col": 1,
      "rule": "release-stale-review",
      "severity": "warning",
      "message": "stale"
    }
  ]
}
`},
		{"json without findings holds an empty list, not null", "json", findingsReport{json: report.json},
			"{\n  \"n\": 7,\n  \"findings\": []\n}\n"},
		{"junit: a case per file and rule, failed for an error, skipped for a warning, passed for a rule not broken", "junit", withRules,

			`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="casebook release check mailer 2024.2" tests="5" failures="2" errors="0" skipped="1" time="0">
  <testsuite name="a.yaml" tests="2" failures="1" errors="0" skipped="1" time="0">
    <testcase name="release-removed-ref" classname="a.yaml" time="0">
      <failure message="3:5: ui x: removed, 100% gone" type="release-removed-ref">a.yaml:3:5: ui x: removed, 100% gone [release-removed-ref]</failure>
    </testcase>
    <testcase name="release-stale-review" classname="a.yaml" time="0">
      <skipped message="warning: 9:1: stale">a.yaml:9:1: warning: stale [release-stale-review]</skipped>
    </testcase>
  </testsuite>
  <testsuite name="b,c:d.yaml" tests="1" failures="1" errors="0" skipped="0" time="0">
    <testcase name="unknown-key" classname="b,c:d.yaml" time="0">
      <failure message="1:1: line\nbreak" type="unknown-key">b,c:d.yaml:1:1: line\nbreak [unknown-key]</failure>
    </testcase>
  </testsuite>
  <testsuite name="clean.yaml" tests="2" failures="0" errors="0" skipped="0" time="0">
    <testcase name="release-removed-ref" classname="clean.yaml" time="0"></testcase>
    <testcase name="release-stale-review" classname="clean.yaml" time="0"></testcase>
  </testsuite>
</testsuites>
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := writeFindings(&b, tc.format, tc.report); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestJUnitHasWhatCISchemasRequire parses the JUnit XML of lint and
// release check, clean and failing, and checks the attributes that
// Jenkins' junit-10.xsd and Maven Surefire's schema require (errors on
// each suite; skipped and time too for Surefire; name, classname and time
// on each case), and that the counts match the cases.
func TestJUnitHasWhatCISchemasRequire(t *testing.T) {
	type detail struct {
		Message *string `xml:"message,attr"`
	}
	type testcase struct {
		Name      *string  `xml:"name,attr"`
		Classname *string  `xml:"classname,attr"`
		Time      *string  `xml:"time,attr"`
		Failure   []detail `xml:"failure"`
		Skipped   []detail `xml:"skipped"`
	}
	type testsuite struct {
		Name     *string    `xml:"name,attr"`
		Tests    *int       `xml:"tests,attr"`
		Failures *int       `xml:"failures,attr"`
		Errors   *int       `xml:"errors,attr"`
		Skipped  *int       `xml:"skipped,attr"`
		Time     *string    `xml:"time,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	type testsuites struct {
		XMLName  xml.Name    `xml:"testsuites"`
		Tests    *int        `xml:"tests,attr"`
		Failures *int        `xml:"failures,attr"`
		Errors   *int        `xml:"errors,attr"`
		Skipped  *int        `xml:"skipped,attr"`
		Suites   []testsuite `xml:"testsuite"`
	}
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		failures int
		skipped  int
	}{
		{"a clean lint", []string{"lint", "-o", "junit"}, 0, 0, 0},
		{"a failing gate", []string{"release", "check", "--manifest", "mailer@2024.2", "-o", "junit"}, 1, 1, 0},
		{"a warning is a skipped case, not a pass", []string{"release", "check", "--manifest", "mailer@2024.2", "-o", "junit",
			"--severity", "release-stale-review=warning"}, 0, 0, 1},
		{"a warning that fails the gate is a failure", []string{"release", "check", "--manifest", "mailer@2024.2", "-o", "junit",
			"--severity", "release-stale-review=warning", "--fail-on", "warning"}, 1, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			s := &ioStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
			if code := run(tc.args, s); code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, errOut.String())
			}
			var doc testsuites
			if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatalf("not XML: %v\n%s", err, out.String())
			}
			if doc.Tests == nil || doc.Failures == nil || doc.Errors == nil || doc.Skipped == nil {
				t.Errorf("<testsuites> lacks tests, failures, errors or skipped")
			}
			if len(doc.Suites) == 0 {
				t.Fatalf("no test suites:\n%s", out.String())
			}
			var failures, skipped, tests int
			for _, su := range doc.Suites {
				if su.Name == nil || su.Tests == nil || su.Failures == nil || su.Errors == nil || su.Skipped == nil || su.Time == nil {
					t.Fatalf("a <testsuite> lacks name, tests, failures, errors, skipped or time:\n%s", out.String())
				}
				f, sk := 0, 0
				for _, c := range su.Cases {
					if c.Name == nil || c.Classname == nil || c.Time == nil {
						t.Fatalf("a <testcase> of %s lacks name, classname or time", *su.Name)
					}
					if *c.Classname != *su.Name {
						t.Errorf("case %s: classname %q, want the file %q", *c.Name, *c.Classname, *su.Name)
					}
					for _, d := range append(c.Failure, c.Skipped...) {
						if d.Message == nil || *d.Message == "" {
							t.Errorf("case %s of %s: a failure or skipped without a message", *c.Name, *su.Name)
						}
					}
					f += len(c.Failure)
					sk += len(c.Skipped)
				}
				if *su.Tests != len(su.Cases) || *su.Failures != f || *su.Skipped != sk {
					t.Errorf("suite %s counts tests=%d failures=%d skipped=%d, its cases %d, %d, %d", *su.Name, *su.Tests, *su.Failures, *su.Skipped, len(su.Cases), f, sk)
				}
				tests, failures, skipped = tests+len(su.Cases), failures+f, skipped+sk
			}
			if *doc.Tests != tests || *doc.Failures != failures || *doc.Skipped != skipped {
				t.Errorf("<testsuites> counts %d, %d, %d; its suites %d, %d, %d", *doc.Tests, *doc.Failures, *doc.Skipped, tests, failures, skipped)
			}
			if failures != tc.failures || skipped != tc.skipped {
				t.Errorf("failures %d, skipped %d; want %d, %d", failures, skipped, tc.failures, tc.skipped)
			}
		})
	}
}
