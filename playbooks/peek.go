package playbooks

import (
	"bytes"
	"strings"
)

// PeekPlaybookID reads, without parsing, the id of a file that plainly is
// a playbook: its first key is `casebook: playbook/v1` and exactly one
// other line at the left margin is `id: ID`, with a plain valid id. It
// returns ok false whenever the text leaves any doubt (a byte-order mark,
// a second document, a flow mapping, a quoted or anchored id, two id
// lines, ...): the caller must then parse the file to know.
//
// A line at the left margin of a block mapping's file is one of its keys
// (block scalars and continued values are indented), so in a file that
// parses, the id line found is the playbook's id, provided the next line
// that is not blank is another key: an indented line could continue it.
func PeekPlaybookID(src []byte) (id string, ok bool) {
	first, afterID := true, false
	for len(src) > 0 {
		var line []byte
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			line, src = src, nil
		}
		text := strings.TrimRight(string(line), " \r")
		if text == "" {
			continue
		}
		if afterID && (text[0] == ' ' || text[0] == '\t' || text[0] == '#') {
			return "", false // the id's plain scalar might go on here
		}
		afterID = false
		if text[0] == ' ' || text[0] == '#' {
			continue
		}
		if first {
			if text != "casebook: playbook/v1" {
				return "", false
			}
			first = false
			continue
		}
		key, value, found := strings.Cut(text, ":")
		if !found || !validName(key) {
			return "", false // "---", "...", "{", "- ", a tab, ...
		}
		if key != "id" {
			continue
		}
		value = strings.TrimLeft(value, " ")
		if id != "" || len(value) == len(text)-3 || !ValidID(value) {
			return "", false
		}
		id, afterID = value, true
	}
	return id, id != ""
}
