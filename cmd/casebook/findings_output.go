package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
)

// findingsReport is what a command shows of its findings, in the formats it
// offers: text, json, github and junit.
type findingsReport struct {
	findings []playbooks.Finding
	// json is the command's -o json document around the findings (never
	// nil: no findings are an empty list).
	json func(findings []playbooks.Finding) any
	// suite names the JUnit test suites; checked are the files checked.
	// Each checked file passes a case per rule of rules it did not break
	// or, without rules, one case named clean. failOn is the command's
	// --fail-on: warnings fail only when it is "warning".
	suite   string
	checked []string
	rules   []playbooks.RuleID
	clean   string
	failOn  string
}

// writeFindings writes the report in format: text is one
// Finding.Text() line per finding. The output is buffered (a library of
// thousands may have as many findings) and flushed before it returns, so a
// summary on stderr comes after it.
func writeFindings(w io.Writer, format string, r findingsReport) error {
	fs := r.findings
	if fs == nil {
		fs = []playbooks.Finding{}
	}
	out, flush := bufferOut(w)
	var err error
	switch format {
	case "json":
		err = writeJSON(out, r.json(fs))
	case "github":
		err = writeGithub(out, fs)
	case "junit":
		err = writeJUnit(out, r, fs)
	default:
		for _, fd := range fs {
			writeFinding(out, fd)
		}
	}
	if ferr := flush(); err == nil {
		err = ferr
	}
	return err
}

// githubEscape escapes text for a workflow command (data or property).
// Control characters from the files are spelt out first (\n, \x1b), so a
// value can neither end the command early nor colour the job's log.
func githubEscape(s string, property bool) string {
	s = playbooks.EscapeControls(s)
	s = strings.ReplaceAll(s, "%", "%25")
	if property {
		s = strings.NewReplacer(":", "%3A", ",", "%2C").Replace(s)
	}
	return s
}

func writeGithub(w io.Writer, fs []playbooks.Finding) error {
	for _, f := range fs {
		level := "error"
		if f.Severity == playbooks.SeverityWarning {
			level = "warning"
		}
		if _, err := fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level, githubEscape(f.File, true), f.Line, f.Col,
			githubEscape("casebook "+string(f.Rule), true), githubEscape(f.Message, false)); err != nil {
			return err
		}
	}
	return nil
}

// The JUnit XML holds the attributes the common schemas require (Jenkins'
// junit-10.xsd, Maven Surefire's): tests, failures, errors, skipped and
// time on each suite, name, classname and time on each case. Times are 0:
// the gate checks files, it does not time them, and the same files give
// the same bytes.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitFailure `xml:"skipped,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// writeJUnit writes one test suite per file, named by the file, and in it
// one test case per rule, named by the rule with the file as its
// classname, so that CI history matches a failure to its fix:
//
//   - a rule with a finding that fails (an error, or a warning with
//     --fail-on warning) is a failed case: its message is the first
//     finding's LINE:COL: message, its text every finding's line;
//   - a rule with warnings only is a skipped case, the warnings its
//     message and text, so a warning never looks like a clean pass;
//   - each file checked has a passing case for every rule of r.rules it
//     did not break, or, without r.rules, one passing case named r.clean.
func writeJUnit(w io.Writer, r findingsReport, fs []playbooks.Finding) error {
	byFile := map[string]map[playbooks.RuleID][]playbooks.Finding{}
	var files []string
	add := func(file string) map[playbooks.RuleID][]playbooks.Finding {
		m, ok := byFile[file]
		if !ok {
			files = append(files, file)
			m = map[playbooks.RuleID][]playbooks.Finding{}
			byFile[file] = m
		}
		return m
	}
	for _, file := range r.checked {
		m := add(file)
		for _, rule := range r.rules {
			m[rule] = nil
		}
	}
	for _, f := range fs {
		m := add(f.File)
		m[f.Rule] = append(m[f.Rule], f)
	}
	slices.Sort(files)
	root := junitSuites{Name: r.suite, Time: "0"}
	for _, file := range files {
		suite := junitSuite{Name: file, Time: "0"}
		rules := slices.Sorted(maps.Keys(byFile[file]))
		for _, rule := range rules {
			found := byFile[file][rule]
			c := junitCase{Name: string(rule), Classname: file, Time: "0"}
			if len(found) > 0 {
				var lines []string
				fails := false
				for _, f := range found {
					lines = append(lines, f.Text())
					fails = fails || f.Severity != playbooks.SeverityWarning || r.failOn == playbooks.SeverityWarning
				}
				first := found[0]
				msg := fmt.Sprintf("%d:%d: %s", first.Line, first.Col, playbooks.EscapeControls(first.Message))
				if len(found) > 1 {
					msg += fmt.Sprintf(" (and %d more)", len(found)-1)
				}
				detail := &junitFailure{Message: msg, Text: strings.Join(lines, "\n")}
				if fails {
					detail.Type = string(rule)
					c.Failure = detail
					suite.Failures++
				} else {
					detail.Message = "warning: " + msg
					c.Skipped = detail
					suite.Skipped++
				}
			}
			suite.Cases = append(suite.Cases, c)
		}
		if len(rules) == 0 {
			suite.Cases = append(suite.Cases, junitCase{Name: r.clean, Classname: file, Time: "0"})
		}
		suite.Tests = len(suite.Cases)
		root.Tests += suite.Tests
		root.Failures += suite.Failures
		root.Skipped += suite.Skipped
		root.Suites = append(root.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
