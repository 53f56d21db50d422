package playbooks

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

func embeddedPlaybook(t *testing.T, name string) *Playbook {
	t.Helper()
	src, err := fs.ReadFile(Embedded(), name)
	if err != nil {
		t.Fatal(err)
	}
	p, findings := ParsePlaybook(EmbeddedName+"/"+name, src)
	for _, f := range findings {
		if f.Severity == SeverityError {
			t.Fatalf("%s: %s", name, f)
		}
	}
	return p
}

func TestExportShowsOnlyWhatCustomersMaySee(t *testing.T) {
	p := embeddedPlaybook(t, "https-link-branding.yaml")
	out := ExportMarkdown(p, "")

	for _, want := range []string{
		"# Turn on HTTPS for branded click-tracking links\n",
		"## Before you contact support\n",
		"1. Verify click tracking is on\n   - Read: `docs/tracking/click-tracking`\n",
		"2. Verify the branded link domains\n",
		"3. Probe each branded domain over HTTPS\n   - Read: `docs/link-branding/ssl`\n",
		"4. Look up the CNAME of each branded domain\n",
		"### If HTTPS is already on for your branded tracking links\n",
		"### If click tracking is off for your account",
		"### If the certificate on \\[Branded link domains\\] is not valid yet",
		"**Why:** HTTPS tracking is served on your own domain",
		"**What to do:** Turn on click tracking in your tracking settings",
		"**Read more:** `docs/link-branding/ssl`\n",
		"Generated from playbook `https-link-branding` version 2.1.0 (reviewed for 2023.10).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q\n%s", want, out)
		}
	}

	var never []string
	for _, s := range p.Steps {
		never = append(never, s.ID)
		if s.Note != "" {
			// Notes are folded onto one line in YAML already; any sentence
			// of one is enough to tell.
			first, _, _ := strings.Cut(s.Note, ".")
			never = append(never, first)
		}
		if s.Visibility != Customer && s.Title != "" {
			never = append(never, s.Title)
		}
		for _, set := range s.Setting {
			never = append(never, set.Value)
		}
	}
	for _, f := range p.Facts {
		if f.SourceKind() != SourceCustomer {
			never = append(never, f.Ask)
		}
	}
	never = append(never, "Turn on SSL click tracking for the account", "enable_ssl_tracking", "send_test_email", "note")
	for _, bad := range never {
		if strings.Contains(out, bad) {
			t.Errorf("export shows internal text %q", bad)
		}
	}
	if regexp.MustCompile(`\bL[12]\b`).MatchString(out) {
		t.Errorf("export names a tier:\n%s", out)
	}
	if out != ExportMarkdown(p, "") {
		t.Error("two exports of the same playbook differ")
	}
}

func TestExportUsesTheAudienceParts(t *testing.T) {
	p := embeddedPlaybook(t, "in-app-message-not-displayed.yaml")
	dev := ExportMarkdown(p, "developer")
	if !strings.Contains(dev, "Identify the user with the same id the dashboard uses") {
		t.Errorf("developer export lacks the developer fix:\n%s", dev)
	}
	if !strings.Contains(dev, "for the developer audience.") {
		t.Errorf("developer export does not say whom it is for:\n%s", dev)
	}
	def := ExportMarkdown(p, "")
	if strings.Contains(def, "Identify the user with the same id") {
		t.Errorf("default export shows the developer fix:\n%s", def)
	}
	if !strings.Contains(def, "Either widen the audience rules") {
		t.Errorf("default export lacks the default fix:\n%s", def)
	}
}

func TestExportStopsWhereSupportTakesOver(t *testing.T) {
	https := ExportMarkdown(embeddedPlaybook(t, "https-link-branding.yaml"), "")
	if strings.Contains(https, "We turned on SSL click tracking") {
		t.Errorf("a reply that follows support's own action is no help-center answer:\n%s", https)
	}
	sdk := ExportMarkdown(embeddedPlaybook(t, "in-app-message-not-displayed.yaml"), "")
	if strings.Contains(sdk, "frequency cap") {
		t.Errorf("the checks after the handoff to L2 are support's work:\n%s", sdk)
	}
}

const hostilePlaybook = `casebook: playbook/v1
id: hostile
version: 1.0.0
title: "# <script>alert(1)</script> [x](javascript:y) | * _"
product: demo
applies_to: ">=1.0"
reviewed_for: "1.0"
owner: support
intents: [demo]
facts:
  plan: {source: customer, title: "<b>Plan</b>", values: [free, pro]}
tiers:
  L1: [reply, secret_power]
steps:
  - id: check-plan
    title: "- <img src=x onerror=alert(1)> **bold** ` + "`code`" + `"
    check: plan
    visibility: customer
    ui: "settings/` + "``" + `odd"
    doc: ["javascript:alert(1)", "https://help.example.com/a(b)<c>", "docs/plain"]
    note: "Agents only: never read this out."
    on: {free: reply-free, pro: do-secret}
  - id: do-secret
    title: Use the secret power
    action: secret_power
    visibility: customer
    note: Internal detail.
    next: reply-internal
  - id: reply-free
    reply: free
    next: done
  - id: reply-internal
    reply: internal-note
    next: done
  - id: done
    outcome: resolved
replies:
  free:
    summary: "Free plans (<i>{plan}</i>) have <!-- a comment --> no charge."
    cause: |
      First line.

      # Not a heading
      > not a quote
    fix: "Click [here](javascript:alert(1)) or ![img](x) or &amp; \\ ~~gone~~ $x$ {: .cls}"
    docs: ["https://example.com/ok"]
  internal-note:
    visibility: internal
    summary: Colleague-only summary.
    cause: Colleague-only cause.
    fix: Colleague-only fix.
`

func TestExportEscapesTextFromTheFile(t *testing.T) {
	p, findings := ParsePlaybook("hostile.yaml", []byte(hostilePlaybook))
	for _, f := range findings {
		if f.Severity == SeverityError {
			t.Fatalf("hostile playbook does not load: %s", f)
		}
	}
	out := ExportMarkdown(p, "")

	for _, want := range []string{
		"# \\# &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](javascript:y) \\| \\* \\_\n",
		"1. \\- &lt;img src=x onerror=alert(1)&gt; \\*\\*bold\\*\\* \\`code\\`\n",
		"   - Read: `javascript:alert(1)`, [https://help.example.com/a(b)&lt;c&gt;](https://help.example.com/a%28b%29%3Cc%3E), `docs/plain`\n",
		"   - Where: ```settings/``odd```\n",
		"2. Use the secret power\n",
		"### If free plans (&lt;i&gt;\\[&lt;b&gt;Plan&lt;/b&gt;\\]&lt;/i&gt;) have &lt;!-- a comment --&gt; no charge\n",
		"**Why:** First line. \\# Not a heading &gt; not a quote\n",
		"**What to do:** Click \\[here\\](javascript:alert(1)) or !\\[img\\](x) or &amp;amp; \\\\ \\~\\~gone\\~\\~ \\$x\\$ \\{: .cls\\}\n",
		"**Read more:** [https://example.com/ok](https://example.com/ok)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("export lacks %q\n%s", want, out)
		}
	}
	for _, m := range regexp.MustCompile(`(?:^|[^\\])\]\(([^)]*)`).FindAllStringSubmatch(out, -1) {
		if !strings.HasPrefix(m[1], "https://") {
			t.Errorf("export links to %q", m[1])
		}
	}
	for _, bad := range []string{"<", "Colleague-only", "Agents only", "Internal detail", "secret_power", "check-plan", "L1"} {
		if strings.Contains(out, bad) {
			t.Errorf("export contains %q:\n%s", bad, out)
		}
	}
}

func TestMarkdownText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain words stay as they are", "Check the domain's DNS, e.g. its CNAME.", "Check the domain's DNS, e.g. its CNAME."},
		{"emphasis and code marks are escaped", "*a* _b_ `c`", "\\*a\\* \\_b\\_ \\`c\\`"},
		{"links cannot form", "[x](javascript:y)", "\\[x\\](javascript:y)"},
		{"HTML becomes entities", "<script>&nbsp;", "&lt;script&gt;&amp;nbsp;"},
		{"a backslash cannot escape the next escape", `\*`, `\\\*`},
		{"line breaks cannot start a block", "a\n\n# b\n- c", "a \\# b - c"},
		{"a leading dash cannot start a list", "- a - b", "\\- a - b"},
		{"a leading number cannot start a list", "1. a 2. b", "1\\. a 2. b"},
		{"a leading plus cannot start a list", "+ a", "\\+ a"},
		{"tables, strikethrough, math and attributes are escaped", "a | b ~~c~~ $d$ {: e}", "a \\| b \\~\\~c\\~\\~ \\$d\\$ \\{: e\\}"},
		{"control and bidi characters are dropped", "a\x00b\x1bc\u202ed\u0085e", "abcd e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := markdownText(tt.in); got != tt.want {
				t.Errorf("markdownText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCodeSpan(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"a path takes one backtick", "docs/a_b", "`docs/a_b`"},
		{"a backtick inside takes a longer fence", "a`b", "``a`b``"},
		{"a run of backticks takes a longer fence still", "a``b", "```a``b```"},
		{"a backtick at an end is padded", "`a", "`` `a ``"},
		{"line breaks and controls do not survive", "a\nb\x07c", "`a bc`"},
		{"nothing gives nothing", " ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := codeSpan(tt.in); got != tt.want {
				t.Errorf("codeSpan(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDocRefLinksOnlyWebURLs(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"a doc path is code", "docs/link-branding/ssl", "`docs/link-branding/ssl`"},
		{"an https URL is a link", "https://help.example.com/ssl", "[https://help.example.com/ssl](https://help.example.com/ssl)"},
		{"a javascript URL is code", "javascript:alert(1)", "`javascript:alert(1)`"},
		{"a URL with spaces is code", "https://x.example/a b", "`https://x.example/a b`"},
		{"parentheses in a URL are encoded", "http://x.example/a_(b)", "[http://x.example/a\\_(b)](http://x.example/a_%28b%29)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := docRef(tt.in); got != tt.want {
				t.Errorf("docRef(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIfClause(t *testing.T) {
	tests := []struct{ in, want string }{
		{"The certificate is not valid yet.", "the certificate is not valid yet"},
		{"HTTPS is already on.", "HTTPS is already on"},
		{"On iOS the message was ready.", "on iOS the message was ready"},
		{"{plan} is free.", "{plan} is free"},
		{"A message\nwas held back.", "a message was held back"},
	}
	for _, tt := range tests {
		if got := ifClause(tt.in); got != tt.want {
			t.Errorf("ifClause(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
