package web

import (
	"bytes"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/golden"
	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/simulator"
)

// graphSVG renders a graphView with the server's templates.
func graphSVG(t *testing.T, v graphView) string {
	t.Helper()
	pages, err := template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, "graph", v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// writeGraphPage writes the SVG into a standalone HTML page when
// CASEBOOK_GRAPH_HTML names a file, to look at it in a browser.
func writeGraphPage(t *testing.T, svg string) {
	path := os.Getenv("CASEBOOK_GRAPH_HTML")
	if path == "" {
		return
	}
	page := "<!doctype html><meta charset=\"utf-8\"><title>graph</title><body style=\"margin:0;background:#fff\">" + svg + "</body>\n"
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestGraphOfHTTPSPlaybook(t *testing.T) {
	lib := library(t)
	p := lib.Find("https-link-branding")
	if p == nil {
		t.Fatal("no https-link-branding playbook")
	}
	v := libraryGraph(lib, p, "")
	svg := graphSVG(t, v)
	writeGraphPage(t, svg)
	golden.Compare(t, filepath.Join("testdata", "graph-https-link-branding.svg"), svg)
	if again := graphSVG(t, libraryGraph(lib, p, "")); again != svg {
		t.Error("the same graph drew different bytes")
	}
	if len(v.Nodes) != len(p.Steps) {
		t.Errorf("%d nodes for %d steps", len(v.Nodes), len(p.Steps))
	}
}

// parse loads a playbook from YAML, failing on any error finding.
func parse(t *testing.T, src string) *playbooks.Playbook {
	t.Helper()
	p, fs := playbooks.ParsePlaybook("test.yaml", []byte(src))
	if p == nil {
		t.Fatal(fs)
	}
	return p
}

// A loop: wait for the customer, check again, until the certificate is
// valid; a step that retries itself; and a step nothing leads to.
const cyclicPlaybook = `casebook: playbook/v1
id: loop
version: 1.0.0
title: Wait for a certificate
product: mailer
applies_to: ">=2023.6"
reviewed_for: "2023.10"
owner: deliverability
intents: [loop]
facts:
  certificate:
    source: probe
    title: Certificate
    ask: What certificate is served?
    values: [valid, not-yet-valid]
  retry:
    source: admin
    title: Retry
    ask: Retry?
    values: [yes, no]
tiers:
  L1: [lookup, probe, reply]
steps:
  - id: check-certificate
    check: certificate
    on: {valid: reply-done, not-yet-valid: reply-wait}
  - id: reply-wait
    reply: wait
    next: check-again
  - id: check-again
    check: retry
    on: {yes: check-again, no: check-certificate}
    otherwise: customer-action
  - id: reply-done
    reply: done
    next: resolved
  - id: orphan
    reply: done
    next: check-certificate
  - id: resolved
    outcome: resolved
  - id: customer-action
    outcome: customer-action
replies:
  wait:
    summary: Wait.
    cause: Not yet valid.
    fix: Wait.
  done:
    summary: Done.
    cause: Valid.
    fix: Nothing.
`

func TestGraphOfCycleLaysOut(t *testing.T) {
	p := parse(t, cyclicPlaybook)
	v := graphOf(p, simulator.PlaybookCoverage{}, nil)
	if len(v.Nodes) != len(p.Steps) {
		t.Fatalf("%d nodes for %d steps", len(v.Nodes), len(p.Steps))
	}
	back := 0
	for _, e := range v.Edges {
		if e.Back {
			back++
		}
		if e.D == "" || e.Arrow == "" {
			t.Errorf("edge %s → %s is not drawn", e.From, e.To)
		}
	}
	// check-again → check-again, check-again → check-certificate and
	// orphan → check-certificate lead back up.
	if back != 3 {
		t.Errorf("%d edges lead back, want 3", back)
	}
	svg := graphSVG(t, v)
	if svg != graphSVG(t, graphOf(p, simulator.PlaybookCoverage{}, nil)) {
		t.Error("the same graph drew different bytes")
	}
	if os.Getenv("CASEBOOK_GRAPH_HTML") != "" {
		os.WriteFile(strings.TrimSuffix(os.Getenv("CASEBOOK_GRAPH_HTML"), ".html")+"-cycle.html", []byte("<!doctype html><body style=\"margin:0\">"+svg), 0o644)
	}
	// A playbook without steps draws an empty graph.
	if e := graphOf(&playbooks.Playbook{ID: "empty"}, simulator.PlaybookCoverage{}, nil); len(e.Nodes) != 0 || e.Width <= 0 || e.Height <= 0 {
		t.Errorf("an empty playbook draws %+v", e)
	}
	// Everything inside the viewBox.
	for _, n := range v.Nodes {
		if n.TextX <= 0 || n.TextX >= v.Width || n.SubY >= v.Height {
			t.Errorf("step %s at (%d, %d) outside %d×%d", n.ID, n.TextX, n.SubY, v.Width, v.Height)
		}
	}
}

func TestGraphEscapesTextFromFiles(t *testing.T) {
	p := parse(t, cyclicPlaybook)
	p.Steps[0].ID = `<script>alert("id")</script>`
	p.Steps[0].Title = `<img src=x onerror=alert(1)>`
	p.Steps[0].On[0].Value = `<b>label</b>`
	p.ID = `</svg><script>alert("pb")</script>`
	svg := graphSVG(t, graphOf(p, simulator.PlaybookCoverage{}, nil))
	for _, bad := range []string{"<script", "<img", "<b>", "</svg><"} {
		if strings.Contains(svg, bad) {
			t.Errorf("markup %q from the file reached the SVG:\n%s", bad, svg)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(&#34;id&#34;)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "&lt;b&gt;label&lt;/b&gt;"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG does not show %s as text", want)
		}
	}
}

func TestGraphDrawsUncoveredBranchDashed(t *testing.T) {
	lib := library(t)
	p := lib.Find("https-link-branding")
	v := libraryGraph(lib, p, "")
	var found bool
	for _, e := range v.Edges {
		switch e.From + " " + e.To {
		case "check-ssl-tracking reply-already-on":
			// No scenario of the library has SSL tracking on already.
			found = true
			if !e.Uncovered || e.Dash == "" || e.Stroke != graphGrey || !strings.Contains(e.Title, noPractiseEdge) || len(e.Bands) > 0 {
				t.Errorf("the unpractised branch is drawn %+v", e)
			}
		case "check-ssl-tracking check-tracking":
			if e.Uncovered || e.Dash != "" || len(e.Bands) != 2 {
				t.Errorf("the golden branch is drawn %+v", e)
			}
		case "check-cname enable-ssl":
			// proxy is practised, platform not: the edge is solid, its
			// platform label grey.
			if e.Uncovered || e.Dash != "" || len(e.Labels) != 2 || e.Labels[0].Uncovered || !e.Labels[1].Uncovered {
				t.Errorf("the half-practised edge is drawn %+v", e)
			}
		}
	}
	if !found {
		t.Fatal("no edge check-ssl-tracking → reply-already-on")
	}
	svg := graphSVG(t, v)
	want := `<g><title>check-ssl-tracking → reply-already-on: ssl_tracking is on` + "\n" + noPractiseEdge + `</title><path d="`
	i := strings.Index(svg, want)
	if i < 0 {
		t.Fatalf("no dashed edge with its title in:\n%s", svg)
	}
	if path := svg[i : i+strings.Index(svg[i:], "/>")]; !strings.Contains(path, `stroke-dasharray="5 4"`) {
		t.Errorf("the unpractised branch is not dashed: %s", path)
	}
	for _, n := range v.Nodes {
		if n.ID == "reply-already-on" && (n.Dash == "" || !strings.Contains(n.Title, noPractiseStep)) {
			t.Errorf("the unpractised step is drawn %+v", n)
		}
	}
}
