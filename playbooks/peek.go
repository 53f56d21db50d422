package playbooks

import "bytes"

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
	if otherBreaks(src) {
		return "", false // a line break YAML sees and a split at '\n' does not
	}
	// Bytes throughout: report peeks at every playbook of a library.
	first, afterID := true, false
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
		if afterID && (text[0] == ' ' || text[0] == '\t' || text[0] == '#') {
			return "", false // the id's plain scalar might go on here
		}
		afterID = false
		if text[0] == ' ' || text[0] == '#' {
			continue
		}
		if first {
			if string(text) != "casebook: playbook/v1" {
				return "", false
			}
			first = false
			continue
		}
		key, value, found := bytes.Cut(text, []byte(":"))
		if !found || !validName(string(key)) {
			return "", false // "---", "...", "{", "- ", a tab, ...
		}
		if _, _, closed := scalar(value); opensQuote(value) && !closed {
			return "", false // a quoted value that goes on to the next line
		}
		if string(key) != "id" {
			continue
		}
		value = bytes.TrimLeft(value, " ")
		if id != "" || len(value) == len(text)-3 || !ValidID(string(value)) {
			return "", false
		}
		id, afterID = string(value), true
	}
	return id, id != ""
}
