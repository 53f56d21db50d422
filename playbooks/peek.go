package playbooks

import (
	"bytes"
	"strings"
)

// PeekPlaybookID reads, without parsing, the id of a file that plainly is
// a playbook (PeekHeader): ok is false whenever the text leaves any doubt,
// and the caller must then parse the file to know.
func PeekPlaybookID(src []byte) (id string, ok bool) {
	h := PeekHeader(src)
	if !h.OK || h.Kind != KindPlaybook {
		return "", false
	}
	return h.ID, true
}

// A Header is what a library file says of itself in its top-level keys,
// read without parsing: its kind, its id and, for a scenario, the id of
// the playbook it pins. OK is false when the text leaves any doubt: such a
// file must be parsed to know what it is.
type Header struct {
	Kind string // "playbook/v1", "scenario/v1", "release/v1", ...
	ID   string
	Pins string // a scenario's playbook id
	OK   bool
}

// PeekHeader reads a file's Header from its text. Only top-level lines
// count: `casebook: KIND` first, then `id: ID` and, in a scenario,
// `playbook: ID@RANGE`, each plain or quoted with nothing to unescape. Any
// text that could change what those keys hold makes OK false: a
// byte-order mark, a second document, a flow collection, an anchor or a
// tag, a repeated key, a value that goes on to the next line, a line break
// only YAML sees.
//
// A line at the left margin of a block mapping's file is one of its keys
// (block scalars and continued values are indented), so in a file that
// parses, the keys found are the file's, provided the next line that is
// not blank after a plain value is another key: an indented line could
// continue it.
func PeekHeader(src []byte) Header {
	if otherBreaks(src) {
		return Header{}
	}
	var h Header
	first := true
	cont := false // the last key's plain value might go on
	for len(src) > 0 {
		var text []byte
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			text, src = src[:i], src[i+1:]
		} else {
			text, src = src, nil
		}
		text = bytes.TrimRight(text, " \r")
		if len(text) == 0 {
			continue
		}
		if cont && (text[0] == ' ' || text[0] == '\t' || text[0] == '#') {
			return Header{}
		}
		cont = false
		if text[0] == ' ' || text[0] == '#' {
			continue
		}
		key, raw, found := bytes.Cut(text, []byte(":"))
		if !found || !validName(string(key)) || len(raw) > 0 && raw[0] != ' ' {
			return Header{} // "---", "...", "{", "- ", a tab, a BOM, "id:x", ...
		}
		value, plain, ok := scalar(raw)
		if opensQuote(raw) && !ok || opensFlow(raw) {
			// A quoted value or a flow collection of any key that does
			// not close on its line could hold what looks like a key on
			// the next.
			return Header{}
		}
		if first {
			if string(key) != "casebook" || !ok || !strings.HasSuffix(value, "/v1") || !validName(strings.TrimSuffix(value, "/v1")) {
				return Header{}
			}
			h.Kind, first, cont = value, false, plain
			continue
		}
		switch string(key) {
		case "casebook":
			return Header{}
		case "id":
			if h.ID != "" || !ok || !ValidID(value) {
				return Header{}
			}
			h.ID, cont = value, plain
		case "playbook":
			if h.Kind != "scenario/v1" {
				continue
			}
			id, _, _ := strings.Cut(value, "@")
			if h.Pins != "" || !ok || !ValidID(id) {
				return Header{}
			}
			h.Pins, cont = id, plain
		}
	}
	h.OK = h.Kind != "" && h.ID != "" && (h.Kind != "scenario/v1" || h.Pins != "")
	if !h.OK {
		return Header{}
	}
	return h
}

// otherBreaks reports whether src breaks a line where YAML does but a
// reader splitting at newlines would not (a lone carriage return, NEL,
// LINE or PARAGRAPH SEPARATOR): a line would then hide another.
func otherBreaks(src []byte) bool {
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\r':
			if i+1 >= len(src) || src[i+1] != '\n' {
				return true
			}
		case 0xc2:
			if i+1 < len(src) && src[i+1] == 0x85 {
				return true
			}
		case 0xe2:
			if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xa8 || src[i+2] == 0xa9) {
				return true
			}
		}
	}
	return false
}

// opensQuote reports whether a key's value starts with a quote.
func opensQuote(raw []byte) bool {
	v := bytes.TrimLeft(raw, " ")
	return len(v) > 0 && (v[0] == '"' || v[0] == '\'')
}

// opensFlow reports whether a key's value starts a flow collection that
// its line does not close.
func opensFlow(raw []byte) bool {
	v := bytes.TrimRight(bytes.TrimLeft(raw, " "), " ")
	if i := bytes.Index(v, []byte(" #")); i >= 0 {
		v = bytes.TrimRight(v[:i], " ")
	}
	return len(v) > 0 && (v[0] == '[' && v[len(v)-1] != ']' || v[0] == '{' && v[len(v)-1] != '}')
}

// scalar reads the value after a top-level key: a plain scalar (up to a
// comment), or one in single or double quotes with nothing to unescape.
// ok is false when it is anything else (an anchor, a tag, a flow or block
// collection, a block scalar, escapes); plain says a plain scalar, which
// an indented next line would continue.
func scalar(raw []byte) (value string, plain, ok bool) {
	v := strings.TrimLeft(string(raw), " ")
	if v == "" {
		return "", false, false
	}
	switch v[0] {
	case '"', '\'':
		q := v[0]
		end := strings.IndexByte(v[1:], q)
		if end < 0 {
			return "", false, false
		}
		inner, rest := v[1:end+1], strings.TrimLeft(v[end+2:], " ")
		if strings.ContainsRune(inner, '\\') && q == '"' || rest != "" && rest[0] != '#' {
			return "", false, false
		}
		return inner, false, true
	case '&', '*', '!', '|', '>', '[', '{', '%', '@', '`':
		return "", false, false
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimRight(v[:i], " ")
	}
	return v, true, v != ""
}
