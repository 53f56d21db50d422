package main

import (
	"fmt"
	"strings"

	"github.com/casebook/casebook/playbooks"
)

func pickTier(p *playbooks.Playbook, name string) (*playbooks.Tier, error) {
	if name == "" {
		return p.Tiers[0], nil
	}
	for _, t := range p.Tiers {
		if strings.EqualFold(string(t.Name), name) {
			return t, nil
		}
	}
	return nil, usageErrorf("--tier %q: playbook %s has tiers %s", name, p.ID, strings.Join(p.TierNames(), ", "))
}

func pickAudience(p *playbooks.Playbook, name string) (string, error) {
	auds := p.Audiences()
	if name == "" {
		if len(auds) > 0 {
			return auds[0], nil
		}
		return "", nil
	}
	for _, a := range auds {
		if strings.EqualFold(a, name) {
			return a, nil
		}
	}
	if len(auds) == 0 {
		return "", usageErrorf("--audience %q: playbook %s writes one reply for everyone; drop --audience", name, p.ID)
	}
	return "", usageErrorf("--audience %q: playbook %s has replies for %s", name, p.ID, strings.Join(auds, ", "))
}

func factNames(p *playbooks.Playbook) []string {
	out := make([]string, len(p.Facts))
	for i, f := range p.Facts {
		out[i] = f.Name
	}
	return out
}

// libraryWarning tells a command that used a library with problems to run
// lint; the command still succeeds.
func libraryWarning(f *factory, lib *loadedLibrary) error {
	if len(lib.Problems) > 0 {
		fmt.Fprintf(f.streams.ErrOut, "warning: %d problem(s) in the library (%s); run %s\n", len(lib.Problems), lib.Source, f.suggest("lint"))
	}
	return nil
}
