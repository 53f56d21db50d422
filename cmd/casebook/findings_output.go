package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
)

// findingsReport is what a command shows of its findings, in the formats it
// offers: lint text and json, release check table, json, github and junit.
type findingsReport struct {
	findings []playbooks.Finding
	// json is the command's -o json document around the findings (never
	// nil: no findings are an empty list).
	json func(findings []playbooks.Finding) any
	// suite names the JUnit test suites; checked are the files checked,
	// each clean one a passing test case.
	suite   string
	checked []string
}

// writeFindings writes the report in format: text and table are one
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
		err = writeJUnit(out, r.suite, r.checked, fs)
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

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// writeJUnit writes one test suite per file with findings or checked: each
// finding a failed test case, each clean file a passing one.
func writeJUnit(w io.Writer, name string, checked []string, fs []playbooks.Finding) error {
	byFile := map[string][]playbooks.Finding{}
	var files []string
	add := func(file string) {
		if _, ok := byFile[file]; !ok {
			files = append(files, file)
			byFile[file] = nil
		}
	}
	for _, file := range checked {
		add(file)
	}
	for _, f := range fs {
		add(f.File)
		byFile[f.File] = append(byFile[f.File], f)
	}
	slices.Sort(files)
	root := junitSuites{Name: name}
	for _, file := range files {
		suite := junitSuite{Name: file}
		for _, f := range byFile[file] {
			if f.Severity == playbooks.SeverityWarning {
				continue
			}
			suite.Cases = append(suite.Cases, junitCase{Name: fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Col), Classname: string(f.Rule),
				Failure: &junitFailure{Message: playbooks.EscapeControls(f.Message), Type: string(f.Rule), Text: f.String()}})
			suite.Failures++
		}
		if suite.Failures == 0 {
			suite.Cases = append(suite.Cases, junitCase{Name: file, Classname: "release-check"})
		}
		suite.Tests = len(suite.Cases)
		root.Tests += suite.Tests
		root.Failures += suite.Failures
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
