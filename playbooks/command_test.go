package playbooks

import "testing"

func TestCommandLineQuotesOnlyWhatTheShellWouldSplitOrExpand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"plain words stay as they are", []string{"release", "review", "x", "--for", "2024.2", "--library", "./lib"}, "casebook release review x --for 2024.2 --library ./lib"},
		{"a space is quoted", []string{"show", "x", "--library", "my lib"}, "casebook show x --library 'my lib'"},
		{"a quote inside is closed and escaped", []string{"--library", "it's"}, `casebook --library 'it'\''s'`},
		{"a dollar sign is not expanded", []string{"--library", "$HOME"}, "casebook --library '$HOME'"},
		{"a leading tilde is not expanded", []string{"--library", "~x"}, "casebook --library '~x'"},
		{"an empty argument is kept", []string{"--library", ""}, "casebook --library ''"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CommandLine(tt.args...); got != tt.want {
				t.Errorf("CommandLine(%q) = %s, want %s", tt.args, got, tt.want)
			}
		})
	}
}
