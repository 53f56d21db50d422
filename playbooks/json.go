package playbooks

// The JSON view of a playbook, as printed by `casebook show ID --format json`.
// It mirrors the YAML format, with defaults filled in and the start step named.

type jsonPlaybook struct {
	Casebook    string      `json:"casebook"`
	ID          string      `json:"id"`
	Version     string      `json:"version"`
	Title       string      `json:"title"`
	Product     string      `json:"product"`
	AppliesTo   string      `json:"applies_to"`
	ReviewedFor string      `json:"reviewed_for"`
	Owner       string      `json:"owner"`
	Intents     []string    `json:"intents"`
	Start       string      `json:"start"`
	Facts       []jsonFact  `json:"facts"`
	Tiers       []jsonTier  `json:"tiers"`
	Steps       []jsonStep  `json:"steps"`
	Replies     []jsonReply `json:"replies"`
	File        string      `json:"file"`
}

type jsonFact struct {
	Name   string   `json:"name"`
	Source string   `json:"source"`
	Title  string   `json:"title,omitempty"`
	Ask    string   `json:"ask,omitempty"`
	Values []string `json:"values,omitempty"`
	Needs  []string `json:"needs,omitempty"`
	Type   string   `json:"type,omitempty"`
}

type jsonTier struct {
	Name         TierName `json:"name"`
	Capabilities []string `json:"capabilities"`
}

type jsonEdge struct {
	Label  string `json:"label,omitempty"`
	Target string `json:"target"`
}

type jsonStep struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	Subject    string     `json:"subject"`
	Title      string     `json:"title,omitempty"`
	Note       string     `json:"note,omitempty"`
	Edges      []jsonEdge `json:"edges,omitempty"`
	Needs      []string   `json:"needs,omitempty"`
	UI         []string   `json:"ui,omitempty"`
	Doc        []string   `json:"doc,omitempty"`
	Setting    []string   `json:"setting,omitempty"`
	Visibility string     `json:"visibility"`
}

type jsonReply struct {
	Name       string           `json:"name"`
	Default    Parts            `json:"default"`
	Audiences  map[string]Parts `json:"audiences,omitempty"`
	Docs       []string         `json:"docs,omitempty"`
	Visibility string           `json:"visibility"`
}

func values(ts []Text) []string {
	if len(ts) == 0 {
		return nil
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Value
	}
	return out
}

// JSON returns a value that marshals to the playbook's JSON view.
func (p *Playbook) JSON() any {
	j := jsonPlaybook{Casebook: KindPlaybook, ID: p.ID, Version: p.Version, Title: p.Title, Product: p.Product,
		AppliesTo: p.AppliesTo, ReviewedFor: p.ReviewedFor, Owner: p.Owner, Intents: values(p.Intents), File: p.File,
		Facts: []jsonFact{}, Tiers: []jsonTier{}, Steps: []jsonStep{}, Replies: []jsonReply{}}
	if s := p.StartStep(); s != nil {
		j.Start = s.ID
	}
	for _, f := range p.Facts {
		j.Facts = append(j.Facts, jsonFact{f.Name, f.Source, f.Title, f.Ask, values(f.Values), values(f.Needs), f.Type})
	}
	for _, t := range p.Tiers {
		j.Tiers = append(j.Tiers, jsonTier{t.Name, append([]string{}, values(t.Capabilities)...)})
	}
	for _, s := range p.Steps {
		js := jsonStep{ID: s.ID, Kind: s.Kind, Subject: s.Subject.Value, Title: s.Title, Note: s.Note,
			Needs: values(s.Needs), UI: values(s.UI), Doc: values(s.Doc), Setting: values(s.Setting), Visibility: s.Visibility}
		for _, e := range s.Targets() {
			js.Edges = append(js.Edges, jsonEdge{e.Label, e.Target.Value})
		}
		j.Steps = append(j.Steps, js)
	}
	for _, r := range p.Replies {
		jr := jsonReply{Name: r.Name, Default: r.Default, Docs: values(r.Docs), Visibility: r.Visibility}
		for _, a := range r.Audiences {
			if jr.Audiences == nil {
				jr.Audiences = map[string]Parts{}
			}
			jr.Audiences[a.Name] = r.For(a.Name)
		}
		j.Replies = append(j.Replies, jr)
	}
	return j
}
