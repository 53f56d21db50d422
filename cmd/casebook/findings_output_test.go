package main

import (
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
	text := "a.yaml:3:5: ui x: removed, 100% gone [release-removed-ref]\n" +
		"a.yaml:9:1: warning: stale [release-stale-review]\n" +
		"b,c:d.yaml:1:1: line\\nbreak [unknown-key]\n"
	for _, tc := range []struct {
		name, format string
		report       findingsReport
		want         string
	}{
		{"text is one Text line per finding, warnings marked", "text", report, text},
		{"table is the same as text", "table", report, text},
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
		{"junit fails a case per error, passes a clean checked file, skips warnings", "junit", report,
			`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="casebook release check mailer 2024.2" tests="3" failures="2">
  <testsuite name="a.yaml" tests="1" failures="1">
    <testcase name="a.yaml:3:5" classname="release-removed-ref">
      <failure message="ui x: removed, 100% gone" type="release-removed-ref">a.yaml:3:5: ui x: removed, 100% gone [release-removed-ref]</failure>
    </testcase>
  </testsuite>
  <testsuite name="b,c:d.yaml" tests="1" failures="1">
    <testcase name="b,c:d.yaml:1:1" classname="unknown-key">
      <failure message="line\nbreak" type="unknown-key">b,c:d.yaml:1:1: line\nbreak [unknown-key]</failure>
    </testcase>
  </testsuite>
  <testsuite name="clean.yaml" tests="1" failures="0">
    <testcase name="clean.yaml" classname="release-check"></testcase>
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
