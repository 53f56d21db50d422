package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Set by the Makefile through -ldflags; they win over the build info.
var (
	version = ""
	commit  = ""
)

// versionString is what `casebook --version` prints.
func versionString() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = nil
	}
	return formatVersion(version, commit, info)
}

// formatVersion is "VERSION (commit REV)". Each part comes from the
// -ldflags value when set (make install), else from the build info Go
// records: the module version (v1.2.3 from go install ...@v1.2.3, a
// pseudo-version from go build in a checkout) and the VCS revision, with
// -dirty when the tree had changes. The revision of a pseudo-version is
// used when Go recorded none (go install ...@COMMIT). What is unknown is
// "dev" and "unknown".
func formatVersion(ldVersion, ldCommit string, info *debug.BuildInfo) string {
	v, c := ldVersion, shortRev(ldCommit)
	if info != nil {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		if c == "" {
			var modified bool
			for _, s := range info.Settings {
				switch s.Key {
				case "vcs.revision":
					c = s.Value
				case "vcs.modified":
					modified = s.Value == "true"
				}
			}
			if c == "" {
				c = pseudoRevision(info.Main.Version)
			}
			c = shortRev(c)
			if c != "" && modified {
				c += "-dirty"
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	if c == "" {
		c = "unknown"
	}
	return fmt.Sprintf("%s (commit %s)", v, c)
}

// shortRev cuts a commit hash to 12 characters, as git rev-parse
// --short=12 in the Makefile does.
func shortRev(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

// pseudoRevision is the commit a Go pseudo-version names
// (v0.0.0-20240102150405-0123456789ab, v1.2.4-0.20240102150405-0123456789ab),
// or "".
func pseudoRevision(v string) string {
	v, _, _ = strings.Cut(v, "+") // +incompatible, +dirty
	i := strings.LastIndexByte(v, '-')
	if i < 0 {
		return ""
	}
	rev, rest := v[i+1:], v[:i]
	if len(rev) != 12 || strings.Trim(rev, "0123456789abcdef") != "" {
		return ""
	}
	ts := rest[max(strings.LastIndexAny(rest, "-."), 0)+1:]
	if len(ts) != 14 || strings.Trim(ts, "0123456789") != "" {
		return ""
	}
	return rev
}
