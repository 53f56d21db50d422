package playbooks

import "strings"

// CommandLine is a casebook command as a finding or message suggests it:
// "casebook" and the arguments, each quoted for a POSIX shell when it
// needs to be, so the line can be pasted and run as printed.
func CommandLine(args ...string) string {
	words := []string{"casebook"}
	for _, a := range args {
		words = append(words, shellWord(a))
	}
	return strings.Join(words, " ")
}

// shellWord quotes s for a POSIX shell unless it is made only of
// characters no shell treats specially.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./@%+=:,^~", r))
	}) < 0 && s[0] != '~' {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
