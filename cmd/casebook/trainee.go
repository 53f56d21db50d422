package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// traineeName is the name an attempt is made under: --trainee, else
// $CASEBOOK_TRAINEE, else the name saved when the trainee first gave it,
// else, on a terminal, asked once and saved for the next session, else
// $USER (a CI container's "root" is no trainee), else "trainee".
func (f *factory) traineeName(flag string, canAsk bool) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if n := strings.TrimSpace(f.getenv("CASEBOOK_TRAINEE")); n != "" {
		return n, nil
	}
	file := f.traineeFile()
	if file != "" {
		if data, err := os.ReadFile(file); err == nil {
			if n := strings.TrimSpace(string(data)); n != "" && !strings.ContainsAny(n, "\n\r") {
				return n, nil
			}
		}
	}
	if canAsk && file != "" {
		n, err := f.prompter.Input("Your name, for your attempts (asked once):", f.getenv("USER"))
		if err != nil {
			return "", err
		}
		if n = strings.TrimSpace(n); n != "" {
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err == nil {
				if err := os.WriteFile(file, []byte(n+"\n"), 0o644); err == nil {
					fmt.Fprintf(f.streams.ErrOut, "(saved in %s; --trainee NAME trains as someone else)\n", filepath.ToSlash(file))
				}
			}
			return n, nil
		}
	}
	if n := f.getenv("USER"); n != "" {
		return n, nil
	}
	return "trainee", nil
}

// traineeFile is where the trainee's name is kept: under
// $XDG_CONFIG_HOME/casebook, else ~/.config/casebook; "" without either.
func (f *factory) traineeFile() string {
	if d := f.getenv("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "casebook", "trainee")
	}
	if h := f.getenv("HOME"); h != "" && h != "/no-home" {
		return filepath.Join(h, ".config", "casebook", "trainee")
	}
	return ""
}
