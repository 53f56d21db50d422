package schemacheck

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// yamlLanguageServer finds the YAML language server VS Code's YAML
// extension runs (yaml-language-server on PATH, or the file
// CASEBOOK_YAML_LANGUAGE_SERVER names), or skips the test with one line
// saying how to run it (fails instead with CASEBOOK_TEST_EDITOR=require,
// which .ci/run sets after installing it from npm).
func yamlLanguageServer(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CASEBOOK_YAML_LANGUAGE_SERVER"); p != "" {
		return p
	}
	if p, err := exec.LookPath("yaml-language-server"); err == nil {
		return p
	}
	if os.Getenv("CASEBOOK_TEST_EDITOR") == "require" {
		t.Fatal("no yaml-language-server, and CASEBOOK_TEST_EDITOR=require")
	}
	t.Skip("editor test skipped: no yaml-language-server (npm install yaml-language-server@1.25.0, then put it on PATH; CI sets CASEBOOK_TEST_EDITOR=require)")
	return ""
}

// lsp is a language-server client over the server's stdin and stdout.
type lsp struct {
	t    *testing.T
	in   io.Writer
	out  *bufio.Reader
	next int
}

func (c *lsp) send(msg map[string]any) {
	c.t.Helper()
	msg["jsonrpc"] = "2.0"
	b, err := json.Marshal(msg)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := fmt.Fprintf(c.in, "Content-Length: %d\r\n\r\n%s", len(b), b); err != nil {
		c.t.Fatal(err)
	}
}

func (c *lsp) read() map[string]any {
	c.t.Helper()
	n := -1
	for {
		line, err := c.out.ReadString('\n')
		if err != nil {
			c.t.Fatalf("the language server stopped: %v", err)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "content-length") {
			n, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(c.out, body); err != nil {
		c.t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		c.t.Fatal(err)
	}
	return m
}

// call sends a request and returns its result, answering the server's own
// requests (its configuration, capability registrations) meanwhile.
func (c *lsp) call(method string, params any) any {
	c.t.Helper()
	c.next++
	id := float64(c.next)
	c.send(map[string]any{"id": c.next, "method": method, "params": params})
	for {
		m := c.read()
		if got, ok := m["id"].(float64); ok && got == id && m["method"] == nil {
			if e := m["error"]; e != nil {
				c.t.Fatalf("%s: %v", method, e)
			}
			return m["result"]
		}
		if m["id"] != nil && m["method"] != nil {
			var result any
			if m["method"] == "workspace/configuration" {
				items, _ := m["params"].(map[string]any)["items"].([]any)
				conf := make([]any, len(items))
				for i := range conf {
					conf[i] = map[string]any{"validate": true, "completion": true, "hover": true}
				}
				result = conf
			}
			c.send(map[string]any{"id": m["id"], "result": result})
		}
	}
}

// schemaKeys are the properties the playbook schema gives a step of a
// kind (its branch, checkStep and so on).
func schemaKeys(t *testing.T, kind string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "playbooks", "schema", "playbook.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Defs map[string]struct {
			Properties map[string]any `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	def, ok := s.Defs[kind+"Step"]
	if !ok {
		t.Fatalf("the schema has no %sStep", kind)
	}
	var keys []string
	for k := range def.Properties {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestTheEditorCompletesOnlyTheStepKindsKeys drives yaml-language-server
// as VS Code's YAML extension does: inside a step of each kind it offers
// exactly that kind's keys the step does not have yet, never another
// kind's (which the schema, and lint, would then refuse).
func TestTheEditorCompletesOnlyTheStepKindsKeys(t *testing.T) {
	server := yamlLanguageServer(t)
	schema, err := filepath.Abs(filepath.Join("..", "..", "playbooks", "schema", "playbook.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, server, "--stdio")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		cmd.Wait()
	}()
	c := &lsp{t: t, in: stdin, out: bufio.NewReader(stdout)}
	c.call("initialize", map[string]any{"processId": nil, "rootUri": "file://" + dir,
		"capabilities": map[string]any{"workspace": map[string]any{"configuration": true}}})
	c.send(map[string]any{"method": "initialized", "params": map[string]any{}})

	head := "# yaml-language-server: $schema=file://" + filepath.ToSlash(schema) + "\ncasebook: playbook/v1\nid: demo\nversion: 1.0.0\ntitle: Demo\nsteps:\n"
	for i, kind := range []string{"check", "action", "reply", "escalate", "outcome"} {
		text := head + "  - id: first\n    " + kind + ": x\n    \n"
		uri := fmt.Sprintf("file://%s/p%d.yaml", dir, i)
		c.send(map[string]any{"method": "textDocument/didOpen", "params": map[string]any{
			"textDocument": map[string]any{"uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
		line := strings.Count(text, "\n") - 1
		res := c.call("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": uri},
			"position": map[string]any{"line": line, "character": 4}})
		var items []any
		switch r := res.(type) {
		case map[string]any:
			items, _ = r["items"].([]any)
		case []any:
			items = r
		}
		var got []string
		for _, it := range items {
			if label, ok := it.(map[string]any)["label"].(string); ok {
				got = append(got, label)
			}
		}
		slices.Sort(got)
		var want []string
		for _, k := range schemaKeys(t, kind) {
			if k != "id" && k != kind {
				want = append(want, k)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("inside a %s step the editor offers %v; want %v", kind, got, want)
		}
	}
}
