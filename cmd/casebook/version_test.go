package main

import (
	"runtime/debug"
	"testing"
)

func TestVersionSaysWhatTheBuildKnows(t *testing.T) {
	build := func(version string, settings ...string) *debug.BuildInfo {
		info := &debug.BuildInfo{Main: debug.Module{Path: "github.com/casebook/casebook", Version: version}}
		for i := 0; i+1 < len(settings); i += 2 {
			info.Settings = append(info.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return info
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name             string
		ldVersion, ldRev string
		info             *debug.BuildInfo
		want             string
	}{
		{"no build info at all is dev, commit unknown", "", "", nil, "dev (commit unknown)"},
		{"a build outside a checkout is dev, commit unknown", "", "", build("(devel)"), "dev (commit unknown)"},
		{"go install @v1.2.3 gives the module version", "", "", build("v1.2.3"), "v1.2.3 (commit unknown)"},
		{"go install @COMMIT gives the pseudo-version and its commit", "", "",
			build("v0.0.0-20260102150405-0123456789ab"), "v0.0.0-20260102150405-0123456789ab (commit 0123456789ab)"},
		{"a pseudo-version after a tag names its commit too", "", "",
			build("v1.2.4-0.20260102150405-0123456789ab+incompatible"), "v1.2.4-0.20260102150405-0123456789ab+incompatible (commit 0123456789ab)"},
		{"go build in a checkout gives the VCS revision", "", "",
			build("(devel)", "vcs", "git", "vcs.revision", rev, "vcs.modified", "false"), "dev (commit 0123456789ab)"},
		{"a checkout with changes is dirty", "", "",
			build("v0.0.0-20260102150405-0123456789ab+dirty", "vcs.revision", rev, "vcs.modified", "true"),
			"v0.0.0-20260102150405-0123456789ab+dirty (commit 0123456789ab-dirty)"},
		{"ldflags win over the build info", "v2.0.0", "fedcba987654",
			build("v1.2.3", "vcs.revision", rev, "vcs.modified", "true"), "v2.0.0 (commit fedcba987654)"},
		{"an ldflags version alone keeps the build's revision", "v2.0.0-3-gabc", "",
			build("(devel)", "vcs.revision", rev), "v2.0.0-3-gabc (commit 0123456789ab)"},
		{"a version that only looks pseudo names no commit", "", "",
			build("v1.0.0-rc-0123456789ab"), "v1.0.0-rc-0123456789ab (commit unknown)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatVersion(tt.ldVersion, tt.ldRev, tt.info); got != tt.want {
				t.Errorf("formatVersion = %q, want %q", got, tt.want)
			}
		})
	}
}
