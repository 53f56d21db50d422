package web

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/simulator"
)

// A graphView is a playbook's decision graph laid out for the "graph"
// template: one inline SVG, no script, every text from files escaped by
// html/template. Over the graph it shows which steps and branches no
// scenario of the library practises (dashed, grey) and which the golden
// paths it was given take, coloured by tier.
type graphView struct {
	Label         string // the SVG's aria-label
	Width, Height int
	Legend        []graphLegend
	Summary       string // how much of the graph the scenarios practise
	SummaryX      int
	Edges         []graphEdge
	Nodes         []graphNode
}

// A graphLegend is one entry of the legend: a sample stroke and its text.
type graphLegend struct {
	X, TextX int
	Stroke   string
	Width    int
	Dash     string
	Opacity  string
	Text     string
	LineEnd  int
}

// A graphNode is a step.
type graphNode struct {
	ID           string
	Kind         string
	Shape        string // the outline, as path data
	Fill, Stroke string
	StrokeWidth  string
	Dash         string
	Ink          string // the colour of its text
	TextX        int
	NameY, SubY  int
	Name, Sub    string // the id and kind/subject, shortened to fit
	Title        string // the tooltip: everything, unshortened
	Badges       []graphBadge
}

// A graphBadge marks a step a golden path of a tier visits.
type graphBadge struct {
	X, Y, W, H   int
	TextX, TextY int
	Fill, Tier   string
}

// A graphEdge is every edge from one step to another: the branches of a
// check that lead to the same step are drawn as one edge with all their
// labels.
type graphEdge struct {
	From, To    string
	D           string // the path
	Arrow       string // the arrowhead's points
	Stroke      string
	StrokeWidth string
	Dash        string      // dashed when no scenario practises any of its branches
	Bands       []graphBand // the golden paths that take it
	Labels      []graphLabel
	LabelX      int
	LabelY      int
	Anchor      string
	Title       string
	Uncovered   bool
	Back        bool // it leads back up the graph (a cycle)
}

// A graphBand highlights an edge a golden path takes: one colour per tier,
// in stripes when several tiers take it.
type graphBand struct {
	Stroke string
	Dash   string
	Offset int
}

// A graphLabel is one branch label of an edge.
type graphLabel struct {
	Sep       string // ", " before every label but the first
	Text      string
	Fill      string
	Uncovered bool
}

// Sizes of the graph, in SVG user units.
const (
	graphMargin   = 16
	graphLegendH  = 44 // the legend's band at the top
	graphNodeH    = 44
	graphLayerGap = 64 // between the layers, where the edge labels sit
	graphNodeGap  = 36 // between nodes of a layer
	graphVirtGap  = 20 // beside an edge passing a layer
	graphMinW     = 120
	graphMaxW     = 280
	graphLane     = 16 // between the lanes of edges leading back up
	graphBandW    = 7
	graphBandDash = 10
)

// Colours of the step kinds: fill and outline.
var graphKinds = map[string][2]string{
	playbooks.StepCheck:    {"#e8f0fe", "#4a6fa5"},
	playbooks.StepAction:   {"#fff4e0", "#b26a00"},
	playbooks.StepReply:    {"#e6f4ea", "#2e7d32"},
	playbooks.StepEscalate: {"#f3e8fd", "#7b3fa0"},
	playbooks.StepOutcome:  {"#f1f3f4", "#3c4043"},
}

// graphTierColours colours the tiers, in the order the playbook lists them.
var graphTierColours = []string{"#1a73e8", "#e8710a", "#9334e6", "#188038", "#d01884", "#5f6368"}

const (
	graphInk       = "#202124"
	graphMuted     = "#5f6368"
	graphGrey      = "#9aa0a6"
	graphEdgeInk   = "#5f6368"
	graphDash      = "5 4"
	noPractiseStep = "no scenario practises this step"
	noPractiseEdge = "no scenario practises this branch"
)

// item is a node of the layout: a step, or a point an edge passes a layer
// at (virtual).
type item struct {
	step  *playbooks.Step
	layer int
	pos   int     // index in its layer
	x     float64 // centre
	w     float64
	up    []*item // neighbours in the layer above
	down  []*item // and below
	order int     // discovery order, for ties
}

// group is every edge from one step to another.
type group struct {
	from, to *playbooks.Step
	labels   []string
	chain    []*item // the virtual items it passes, top to bottom
	back     bool
}

// graphOf lays out the playbook's graph from its start step: each step in
// the layer of its shortest distance from the start (outcomes one layer
// below the last step leading to them, so every path flows down to its
// end), steps of a layer side by side, ordered to cross few edges. An edge
// spanning layers bends through them between the steps; an edge leading
// back up (a cycle) goes round the right of the graph. cov marks the steps
// and branches no scenario practises (when it is the coverage of this
// playbook's version); each golden path of this playbook is drawn in its
// tier's colour.
func graphOf(p *playbooks.Playbook, cov simulator.PlaybookCoverage, goldens []*simulator.Golden) graphView {
	v := graphView{Label: fmt.Sprintf("decision graph of playbook %s %s", p.ID, p.Version)}
	if p.Title != "" {
		v.Label += ": " + p.Title
	}
	withCov := cov.ID == p.ID && cov.Version == p.Version

	groups, out := edgeGroups(p)
	order, layer, unreachable := layerSteps(p, out, groups)
	nlayers := 0
	for _, s := range order {
		nlayers = max(nlayers, layer[s]+1)
	}

	// Items, with a virtual one where an edge passes a layer.
	layers := make([][]*item, nlayers)
	items := map[*playbooks.Step]*item{}
	n := 0
	add := func(it *item) {
		it.order = n
		n++
		layers[it.layer] = append(layers[it.layer], it)
	}
	for _, s := range order {
		it := &item{step: s, layer: layer[s], w: nodeWidth(p, s)}
		items[s] = it
		add(it)
	}
	for _, s := range order {
		for _, g := range out[s] {
			a, b := items[g.from], items[g.to]
			if b.layer <= a.layer {
				g.back = true
				continue
			}
			prev := a
			for l := a.layer + 1; l < b.layer; l++ {
				vi := &item{layer: l}
				add(vi)
				g.chain = append(g.chain, vi)
				link(prev, vi)
				prev = vi
			}
			link(prev, b)
		}
	}
	orderLayers(layers)
	placeLayers(layers)

	// Coordinates: the graph's left edge at the margin.
	left, right := 0.0, 0.0
	for i, it := range flatten(layers) {
		if i == 0 || it.x-it.w/2 < left {
			left = it.x - it.w/2
		}
		if i == 0 || it.x+it.w/2 > right {
			right = it.x + it.w/2
		}
	}
	shift := graphMargin - left
	for _, it := range flatten(layers) {
		it.x += shift
	}
	right += shift
	top := func(l int) float64 { return graphMargin + graphLegendH + float64(l*(graphNodeH+graphLayerGap)) }

	// What the coverage and the golden paths say.
	uncoveredStep := map[string]bool{}
	uncoveredEdge := map[[2]string]bool{} // step, label
	if withCov {
		for _, id := range cov.UncoveredSteps {
			uncoveredStep[id] = true
		}
		for _, b := range cov.UncoveredBranches {
			uncoveredEdge[[2]string{b.Step, b.Label}] = true
		}
	}
	gold := goldenOverlay(p, out, goldens)
	colour := func(t playbooks.TierName) string {
		i := slices.Index(gold.tiers, t)
		for j, pt := range p.Tiers {
			if pt.Name == t {
				i = j
			}
		}
		return graphTierColours[min(i, len(graphTierColours)-1)]
	}

	// Edges.
	lanes := 0
	var placed []box // the labels placed so far
	// The lanes of edges leading back up start right of the graph and of
	// its loops.
	laneAt := right + 24
	for _, g := range groups {
		if g.from == g.to {
			a := items[g.from]
			laneAt = max(laneAt, a.x+a.w/2+34+float64(textWidth(strings.Join(g.labels, ", "), 6.5))+12)
		}
	}
	bottom := 0.0 // of the edges leading back up
	for _, g := range groups {
		a, b := items[g.from], items[g.to]
		e := graphEdge{From: g.from.ID, To: g.to.ID, Stroke: graphEdgeInk, StrokeWidth: "1.5", Back: g.back}
		covered := 0
		var notes []string
		for i, l := range g.labels {
			un := withCov && uncoveredEdge[[2]string{g.from.ID, l}]
			gl := graphLabel{Text: l, Fill: graphInk, Uncovered: un}
			if i > 0 {
				gl.Sep = ", "
			}
			if un {
				gl.Fill = graphGrey
				if len(g.labels) > 1 {
					notes = append(notes, l+": "+noPractiseEdge)
				}
			} else {
				covered++
			}
			e.Labels = append(e.Labels, gl)
		}
		if withCov && covered == 0 {
			e.Uncovered, e.Stroke, e.Dash = true, graphGrey, graphDash
			notes = []string{noPractiseEdge}
		}
		refs := gold.onEdge[[2]*playbooks.Step{g.from, g.to}]
		var ts []string
		for _, t := range gold.tiersOf(refs) {
			ts = append(ts, string(t))
		}
		for i, t := range ts {
			e.Bands = append(e.Bands, graphBand{Stroke: colour(playbooks.TierName(t)),
				Dash: fmt.Sprintf("%d %d", graphBandDash, graphBandDash*(len(ts)-1)), Offset: i * graphBandDash})
		}
		if len(ts) == 1 {
			e.Bands[0].Dash = ""
		}
		if len(ts) > 0 {
			e.Stroke = graphInk
			notes = append(notes, gold.describe(refs))
		}
		title := fmt.Sprintf("%s → %s: %s", g.from.ID, g.to.ID, strings.Join(g.labels, ", "))
		if c := g.from; c.Kind == playbooks.StepCheck && c.Subject.Value != "" {
			title = fmt.Sprintf("%s → %s: %s is %s", g.from.ID, g.to.ID, c.Subject.Value, strings.Join(g.labels, " or "))
		}
		e.Title = strings.Join(append([]string{title}, notes...), "\n")

		var d strings.Builder
		if !g.back {
			// Down from the bottom of a to the top of b, through the
			// layers between.
			x0 := a.x + port(a, a.down, g.chainHead(b))
			y0 := top(a.layer) + graphNodeH
			x1 := b.x + port(b, b.up, g.chainTail(a))
			y1 := top(b.layer)
			fmt.Fprintf(&d, "M%s %s", num(x0), num(y0))
			px, py := x0, y0
			for _, vi := range g.chain {
				vy := top(vi.layer)
				curve(&d, px, py, vi.x, vy)
				fmt.Fprintf(&d, " L%s %s", num(vi.x), num(vy+graphNodeH))
				px, py = vi.x, vy+graphNodeH
			}
			curve(&d, px, py, x1, y1)
			// The label halfway down the first bend.
			nx, ny := x1, y1
			if len(g.chain) > 0 {
				nx, ny = g.chain[0].x, top(g.chain[0].layer)
			}
			// The label on the first bend, halfway down where it has room.
			lw := float64(textWidth(strings.Join(g.labels, ", "), 6.2))
			var bx box
			for i, t := range []float64{0.5, 0.36, 0.64, 0.24, 0.76} {
				// The bend is a cubic with vertical tangents at both ends.
				dy := (ny - y0) / 2
				cx := bezier(x0, x0, nx, nx, t)
				cy := bezier(y0, y0+dy, ny-dy, ny, t)
				b := box{cx - lw/2 - 2, cy - 7, cx + lw/2 + 2, cy + 7}
				if i == 0 || !b.hits(placed) {
					bx, e.LabelX, e.LabelY = b, int(cx), int(cy)+4
					if !b.hits(placed) {
						break
					}
				}
			}
			placed = append(placed, bx)
			e.Anchor = "middle"
			e.Arrow = arrowDown(x1, y1)
		} else if g.from == g.to {
			// A loop on the step's right.
			x := a.x + a.w/2
			y := top(a.layer)
			fmt.Fprintf(&d, "M%s %s C%s %s %s %s %s %s", num(x), num(y+10), num(x+34), num(y-12), num(x+34), num(y+graphNodeH+12), num(x+6), num(y+graphNodeH-10))
			e.LabelX, e.LabelY, e.Anchor = int(x+30), int(y+graphNodeH/2)+4, "start"
			e.Arrow = arrowLeft(x, y+graphNodeH-12)
		} else {
			// Back up: down into the gap below a, right round the graph in
			// a lane of its own, and down into the top of b.
			lane := laneAt + float64(lanes*graphLane)
			lanes++
			x0 := a.x + port(a, a.down, nil)
			y0 := top(a.layer) + graphNodeH
			ya := y0 + 12 + float64(lanes%3)*4
			x1 := b.x + b.w/2 - 16 - float64((lanes-1)%3)*8
			y1 := top(b.layer)
			yb := y1 - 10 - float64(lanes%3)*4
			bottom = max(bottom, ya)
			fmt.Fprintf(&d, "M%s %s Q%s %s %s %s H%s Q%s %s %s %s V%s Q%s %s %s %s H%s Q%s %s %s %s",
				num(x0), num(y0), num(x0), num(ya), num(x0+8), num(ya), num(lane-8),
				num(lane), num(ya), num(lane), num(ya-8), num(yb+8),
				num(lane), num(yb), num(lane-8), num(yb), num(x1+8),
				num(x1), num(yb), num(x1), num(y1))
			e.LabelX, e.LabelY, e.Anchor = int(x0+12), int(ya)-4, "start"
			e.Arrow = arrowDown(x1, y1)
		}
		e.D = d.String()
		v.Edges = append(v.Edges, e)
	}

	// Nodes.
	for _, s := range order {
		it := items[s]
		x, y := it.x-it.w/2, top(it.layer)
		fill, stroke := graphKindColours(s.Kind)
		nd := graphNode{ID: s.ID, Kind: s.Kind, Fill: fill, Stroke: stroke, StrokeWidth: "1.5", Ink: graphInk,
			TextX: int(it.x), NameY: int(y) + 19, SubY: int(y) + 35,
			Name: fit(s.ID, it.w-24, 7), Sub: fit(subLabel(p, s), it.w-24, 6.1)}
		nd.Shape = shape(s.Kind, x, y, it.w, graphNodeH)
		lines := []string{s.ID + ": " + subLabel(p, s)}
		if s.Title != "" {
			lines = append(lines, s.Title)
		}
		if unreachable[s] {
			lines = append(lines, "not reached from the start step")
		}
		if withCov && uncoveredStep[s.ID] {
			nd.Fill, nd.Stroke, nd.Dash, nd.Ink = "#fafafa", graphGrey, graphDash, graphMuted
			lines = append(lines, noPractiseStep)
		}
		if refs := gold.onStep[s]; len(refs) > 0 {
			ts := gold.tiersOf(refs)
			nd.StrokeWidth = "2.5"
			bx := x + it.w - 6
			for i := len(ts) - 1; i >= 0; i-- {
				bw := float64(len(ts[i]))*6.5 + 10
				bx -= bw
				nd.Badges = append(nd.Badges, graphBadge{X: int(bx), Y: int(y) - 8, W: int(bw), H: 15,
					TextX: int(bx + bw/2), TextY: int(y) + 3, Fill: colour(ts[i]), Tier: string(ts[i])})
				bx -= 3
			}
			slices.Reverse(nd.Badges)
			lines = append(lines, gold.describe(refs))
			lines = append(lines, gold.handoffs[s]...)
		}
		nd.Title = strings.Join(lines, "\n")
		v.Nodes = append(v.Nodes, nd)
	}

	// The legend.
	lx := graphMargin
	legend := func(stroke string, width int, dash, opacity, text string) {
		v.Legend = append(v.Legend, graphLegend{X: lx, TextX: lx + 30, Stroke: stroke, Width: width, Dash: dash, Opacity: opacity, Text: text, LineEnd: lx + 24})
		lx += 30 + int(float64(len([]rune(text)))*6.5) + 18
	}
	for _, t := range gold.tiers {
		text := "golden path at " + string(t)
		switch sc := gold.scenarios[t]; {
		case len(sc) == 1 && sc[0] != "":
			text = "golden path of " + sc[0] + " at " + string(t)
		case len(sc) > 1:
			text = fmt.Sprintf("golden paths of %d scenarios at %s", len(sc), t)
		}
		legend(colour(t), graphBandW, "", "0.45", text)
	}
	if withCov {
		legend(graphGrey, 2, graphDash, "1", noPractiseEdge)
		v.Summary = fmt.Sprintf("%d of %d branches practised by %d scenario(s)", cov.BranchesCovered, cov.BranchesTotal, len(cov.Scenarios))
		v.SummaryX = lx
		lx += int(float64(len(v.Summary))*6.5) + graphMargin
	}

	v.Width = int(right) + graphMargin
	if lanes > 0 {
		v.Width = int(laneAt) + lanes*graphLane + graphMargin
	}
	for _, g := range groups {
		if g.from == g.to {
			v.Width = max(v.Width, int(items[g.from].x+items[g.from].w/2)+34+graphMargin)
		}
	}
	for _, e := range v.Edges {
		w := 0
		for _, l := range e.Labels {
			w += textWidth(l.Sep+l.Text, 6.5)
		}
		if e.Anchor == "middle" {
			w /= 2
		}
		v.Width = max(v.Width, e.LabelX+w+graphMargin)
	}
	v.Width = max(v.Width, lx)
	v.Height = max(int(top(nlayers))-graphLayerGap, int(bottom)+8) + graphMargin
	return v
}

// edgeGroups lists the edges of the graph, in file order, those from one
// step to the same step merged into one group; out has each step's.
func edgeGroups(p *playbooks.Playbook) ([]*group, map[*playbooks.Step][]*group) {
	var groups []*group
	out := map[*playbooks.Step][]*group{}
	for _, s := range p.Steps {
		for _, e := range s.Targets() {
			t := p.Step(e.Target.Value)
			if t == nil {
				continue
			}
			label := e.Label
			if label == "" {
				label = simulator.LabelNext
			}
			var g *group
			for _, h := range out[s] {
				if h.to == t {
					g = h
				}
			}
			if g == nil {
				g = &group{from: s, to: t}
				groups = append(groups, g)
				out[s] = append(out[s], g)
			}
			g.labels = append(g.labels, label)
		}
	}

	return groups, out
}

// layerSteps puts each step in a layer: breadth first from the start,
// outcomes below every step that leads to them, and the steps the start
// does not lead to in a layer of their own below. order is the order the
// steps were met in.
func layerSteps(p *playbooks.Playbook, out map[*playbooks.Step][]*group, groups []*group) (order []*playbooks.Step, layer map[*playbooks.Step]int, unreachable map[*playbooks.Step]bool) {
	layer = map[*playbooks.Step]int{}
	if start := p.StartStep(); start != nil {
		layer[start] = 0
		order = append(order, start)
		for i := 0; i < len(order); i++ {
			for _, g := range out[order[i]] {
				if _, ok := layer[g.to]; !ok {
					layer[g.to] = layer[order[i]] + 1
					order = append(order, g.to)
				}
			}
		}
	}
	reached := len(order)
	// An outcome sits below every step that leads to it.
	for _, s := range order[min(1, len(order)):] {
		if s.Kind != playbooks.StepOutcome {
			continue
		}
		l := 0
		for _, g := range groups {
			if g.to == s && g.from != s {
				if _, ok := layer[g.from]; ok && g.from.Kind != playbooks.StepOutcome {
					l = max(l, layer[g.from]+1)
				}
			}
		}
		layer[s] = max(l, layer[s])
	}
	depth := 0
	for _, s := range order {
		depth = max(depth, layer[s])
	}
	// Steps the start does not lead to go in a layer of their own, below.
	for _, s := range p.Steps {
		if _, ok := layer[s]; !ok {
			layer[s] = depth + 1
			order = append(order, s)
		}
	}
	unreachable = map[*playbooks.Step]bool{}
	for _, s := range order[reached:] {
		unreachable[s] = true
	}
	return order, layer, unreachable
}

func (g *group) chainHead(b *item) *item {
	if len(g.chain) > 0 {
		return g.chain[0]
	}
	return b
}

func (g *group) chainTail(a *item) *item {
	if len(g.chain) > 0 {
		return g.chain[len(g.chain)-1]
	}
	return a
}

func link(a, b *item) {
	a.down = append(a.down, b)
	b.up = append(b.up, a)
}

func flatten(layers [][]*item) []*item {
	var out []*item
	for _, l := range layers {
		out = append(out, l...)
	}
	return out
}

// orderLayers orders each layer to cross few edges: a few sweeps down and
// up, each sorting a layer by the mean position of its neighbours in the
// layer before, keeping the order that crosses fewest.
func orderLayers(layers [][]*item) {
	number := func() {
		for _, l := range layers {
			for i, it := range l {
				it.pos = i
			}
		}
	}
	number()
	best := crossings(layers)
	saved := snapshot(layers)
	sortBy := func(l []*item, nb func(*item) []*item) {
		key := map[*item]float64{}
		for _, it := range l {
			ns := nb(it)
			if len(ns) == 0 {
				key[it] = float64(it.pos)
				continue
			}
			sum := 0.0
			for _, x := range ns {
				sum += float64(x.pos)
			}
			key[it] = sum / float64(len(ns))
		}
		slices.SortStableFunc(l, func(a, b *item) int {
			switch {
			case key[a] < key[b]:
				return -1
			case key[a] > key[b]:
				return 1
			}
			return 0
		})
		for i, it := range l {
			it.pos = i
		}
	}
	for range 8 {
		for i := 1; i < len(layers); i++ {
			sortBy(layers[i], func(it *item) []*item { return it.up })
		}
		for i := len(layers) - 2; i >= 0; i-- {
			sortBy(layers[i], func(it *item) []*item { return it.down })
		}
		if c := crossings(layers); c < best {
			best, saved = c, snapshot(layers)
		}
	}
	for i := range layers {
		copy(layers[i], saved[i])
	}
	number()
}

func snapshot(layers [][]*item) [][]*item {
	out := make([][]*item, len(layers))
	for i, l := range layers {
		out[i] = slices.Clone(l)
	}
	return out
}

// crossings counts the pairs of edges between adjacent layers that cross.
func crossings(layers [][]*item) int {
	n := 0
	for _, l := range layers {
		var ends [][2]int
		for _, a := range l {
			for _, b := range a.down {
				ends = append(ends, [2]int{a.pos, b.pos})
			}
		}
		for i := range ends {
			for j := i + 1; j < len(ends); j++ {
				if (ends[i][0]-ends[j][0])*(ends[i][1]-ends[j][1]) < 0 {
					n++
				}
			}
		}
	}
	return n
}

// placeLayers gives each item its x: packed side by side, then, sweep by
// sweep, drawn towards the mean of its neighbours without overlapping.
func placeLayers(layers [][]*item) {
	gap := func(a, b *item) float64 {
		g := float64(graphNodeGap)
		if a.step == nil || b.step == nil {
			g = graphVirtGap
		}
		return a.w/2 + b.w/2 + g
	}
	for _, l := range layers {
		x := 0.0
		for i, it := range l {
			if i > 0 {
				x += gap(l[i-1], it)
			}
			it.x = x
		}
		// centred on 0
		if len(l) > 0 {
			mid := (l[0].x + l[len(l)-1].x) / 2
			for _, it := range l {
				it.x -= mid
			}
		}
	}
	fit := func(l []*item, nb func(*item) []*item) {
		want := make([]float64, len(l))
		for i, it := range l {
			want[i] = it.x
			if ns := nb(it); len(ns) > 0 {
				sum := 0.0
				for _, x := range ns {
					sum += x.x
				}
				want[i] = sum / float64(len(ns))
			}
		}
		// Push right, then push left, and meet halfway: both keep the
		// gaps, and so does their mean.
		a := make([]float64, len(l))
		b := make([]float64, len(l))
		for i := range l {
			a[i] = want[i]
			if i > 0 {
				a[i] = max(a[i], a[i-1]+gap(l[i-1], l[i]))
			}
		}
		for i := len(l) - 1; i >= 0; i-- {
			b[i] = want[i]
			if i < len(l)-1 {
				b[i] = min(b[i], b[i+1]-gap(l[i], l[i+1]))
			}
		}
		for i, it := range l {
			it.x = (a[i] + b[i]) / 2
		}
	}
	for range 12 {
		for i := 1; i < len(layers); i++ {
			fit(layers[i], func(it *item) []*item { return it.up })
		}
		for i := len(layers) - 2; i >= 0; i-- {
			fit(layers[i], func(it *item) []*item { return it.down })
		}
	}
	for i := 1; i < len(layers); i++ {
		fit(layers[i], func(it *item) []*item { return it.up })
	}
	// Round, so that the same graph always draws the same numbers.
	for _, l := range layers {
		for _, it := range l {
			it.x = float64(int(it.x*2)) / 2
		}
		for _, it := range l {
			slices.SortStableFunc(it.up, byX)
			slices.SortStableFunc(it.down, byX)
		}
	}
}

func byX(a, b *item) int {
	switch {
	case a.x < b.x:
		return -1
	case a.x > b.x:
		return 1
	}
	return a.order - b.order
}

// port is where on its bottom (or top) an item's edge to other leaves (or
// arrives): the edges of a side spread along it in the order of their
// other ends.
func port(it *item, side []*item, other *item) float64 {
	if it.step == nil || other == nil || len(side) < 2 {
		return 0
	}
	i := slices.Index(side, other)
	if i < 0 {
		return 0
	}
	k := float64(len(side) - 1)
	step := min(22, (it.w-40)/k)
	return (float64(i) - k/2) * step
}

// curve adds a bend from (x0, y0) down to (x1, y1), leaving and arriving
// vertically.
func curve(d *strings.Builder, x0, y0, x1, y1 float64) {
	dy := (y1 - y0) / 2
	fmt.Fprintf(d, " C%s %s %s %s %s %s", num(x0), num(y0+dy), num(x1), num(y1-dy), num(x1), num(y1))
}

func arrowDown(x, y float64) string {
	return fmt.Sprintf("%s,%s %s,%s %s,%s", num(x-4.5), num(y-8), num(x+4.5), num(y-8), num(x), num(y))
}

func arrowLeft(x, y float64) string {
	return fmt.Sprintf("%s,%s %s,%s %s,%s", num(x+8), num(y-4.5), num(x+8), num(y+4.5), num(x), num(y))
}

// num writes a coordinate with at most one decimal.
func num(f float64) string {
	return strconv.FormatFloat(float64(int(f*10+0.5*sign(f)))/10, 'f', -1, 64)
}

func sign(f float64) float64 {
	if f < 0 {
		return -1
	}
	return 1
}

func graphKindColours(kind string) (fill, stroke string) {
	if c, ok := graphKinds[kind]; ok {
		return c[0], c[1]
	}
	return "#ffffff", graphInk
}

// shape is the outline of a step of the kind: a check's pointed sides, a
// reply's folded corner, an escalation's cut corners, an outcome's pill.
func shape(kind string, x, y, w, h float64) string {
	r, b := x+w, y+h
	switch kind {
	case playbooks.StepCheck:
		return fmt.Sprintf("M%s %sH%sL%s %sL%s %sH%sL%s %sZ", num(x+12), num(y), num(r-12), num(r), num(y+h/2), num(r-12), num(b), num(x+12), num(x), num(y+h/2))
	case playbooks.StepReply:
		return fmt.Sprintf("M%s %sH%sL%s %sV%sH%sZ", num(x), num(y), num(r-12), num(r), num(y+12), num(b), num(x))
	case playbooks.StepEscalate:
		c := 9.0
		return fmt.Sprintf("M%s %sH%sL%s %sV%sL%s %sH%sL%s %sV%sZ", num(x+c), num(y), num(r-c), num(r), num(y+c), num(b-c), num(r-c), num(b), num(x+c), num(x), num(b-c), num(y+c))
	case playbooks.StepOutcome:
		q := h / 2
		return fmt.Sprintf("M%s %sH%sA%s %s 0 0 1 %s %sH%sA%s %s 0 0 1 %s %sZ", num(x+q), num(y), num(r-q), num(q), num(q), num(r-q), num(b), num(x+q), num(q), num(q), num(x+q), num(y))
	}
	return fmt.Sprintf("M%s %sH%sV%sH%sZ", num(x), num(y), num(r), num(b), num(x))
}

// subLabel says what a step does: its kind and subject, with the fact's
// source or the tier an action needs.
func subLabel(p *playbooks.Playbook, s *playbooks.Step) string {
	switch s.Kind {
	case playbooks.StepCheck:
		if f := p.Fact(s.Subject.Value); f != nil {
			return fmt.Sprintf("check %s · %s", s.Subject.Value, f.Source)
		}
	case playbooks.StepAction:
		if t := p.LowestHolding(s.Subject.Value); t != nil {
			return fmt.Sprintf("action %s · %s+", s.Subject.Value, t.Name)
		}
	case playbooks.StepEscalate:
		return "hand off to " + s.Subject.Value
	}
	return strings.TrimSpace(s.Kind + " " + s.Subject.Value)
}

// textWidth estimates how wide text is at a font's mean character width.
func textWidth(s string, per float64) int {
	return int(float64(len([]rune(s)))*per + 0.5)
}

func nodeWidth(p *playbooks.Playbook, s *playbooks.Step) float64 {
	w := float64(max(textWidth(s.ID, 7), textWidth(subLabel(p, s), 6.1))) + 28
	if s.Kind == playbooks.StepCheck || s.Kind == playbooks.StepOutcome {
		w += 16
	}
	return min(max(w, graphMinW), graphMaxW)
}

// fit shortens s with an ellipsis to fit width at per units a character.
func fit(s string, width, per float64) string {
	r := []rune(s)
	n := int(width / per)
	if len(r) <= n {
		return s
	}
	return string(r[:max(n-1, 1)]) + "…"
}

// An overlay is what the golden paths of a playbook visit: the tiers (in
// the playbook's order) and the scenarios of each, and per step and per
// edge the tiers and scenarios whose golden path goes there.
type overlay struct {
	tiers     []playbooks.TierName
	scenarios map[playbooks.TierName][]string
	onStep    map[*playbooks.Step][]goldenRef
	onEdge    map[[2]*playbooks.Step][]goldenRef
	handoffs  map[*playbooks.Step][]string // "L1 hands off to L2 here"
	rank      func(playbooks.TierName) int
}

// A goldenRef is the golden path of a scenario at a tier.
type goldenRef struct {
	scenario string
	tier     playbooks.TierName
}

// tiersOf lists the tiers of refs, in the playbook's order.
func (o *overlay) tiersOf(refs []goldenRef) []playbooks.TierName {
	var out []playbooks.TierName
	for _, r := range refs {
		if !slices.Contains(out, r.tier) {
			out = append(out, r.tier)
		}
	}
	slices.SortStableFunc(out, func(a, b playbooks.TierName) int { return o.rank(a) - o.rank(b) })
	return out
}

// describe says whose golden paths refs are: "on the golden path of
// https-proxy-cname at L1, L2".
func (o *overlay) describe(refs []goldenRef) string {
	var scens []string
	for _, r := range refs {
		if !slices.Contains(scens, r.scenario) {
			scens = append(scens, r.scenario)
		}
	}
	var parts []string
	for _, sc := range scens {
		var mine []goldenRef
		for _, r := range refs {
			if r.scenario == sc {
				mine = append(mine, r)
			}
		}
		var ts []string
		for _, t := range o.tiersOf(mine) {
			ts = append(ts, string(t))
		}
		part := "at " + strings.Join(ts, ", ")
		if sc != "" {
			part = "of " + sc + " " + part
		}
		parts = append(parts, part)
	}
	return "on the golden path " + strings.Join(parts, "; ")
}

// goldenOverlay works out what the golden paths of this playbook visit. A
// golden path lists the steps its moves serve; the steps between (checks
// of facts known at the start, escalations the tier already covers) are
// found in the graph.
func goldenOverlay(p *playbooks.Playbook, out map[*playbooks.Step][]*group, goldens []*simulator.Golden) *overlay {
	o := &overlay{scenarios: map[playbooks.TierName][]string{}, onStep: map[*playbooks.Step][]goldenRef{},
		onEdge: map[[2]*playbooks.Step][]goldenRef{}, handoffs: map[*playbooks.Step][]string{}}
	o.rank = func(t playbooks.TierName) int {
		for i, pt := range p.Tiers {
			if pt.Name == t {
				return i
			}
		}
		return len(p.Tiers) + slices.Index(o.tiers, t)
	}
	mark := func(s *playbooks.Step, r goldenRef) {
		if !slices.Contains(o.onStep[s], r) {
			o.onStep[s] = append(o.onStep[s], r)
		}
	}
	start := p.StartStep()
	for _, g := range goldens {
		if g == nil || start == nil || (g.Playbook != "" && g.Playbook != p.ID) {
			continue
		}
		if !slices.Contains(o.tiers, g.Tier) {
			o.tiers = append(o.tiers, g.Tier)
		}
		if !slices.Contains(o.scenarios[g.Tier], g.Scenario) {
			o.scenarios[g.Tier] = append(o.scenarios[g.Tier], g.Scenario)
		}
		r := goldenRef{g.Scenario, g.Tier}
		at := start
		mark(at, r)
		for i, m := range g.Moves {
			s := p.Step(m.Step)
			if s == nil {
				continue
			}
			if i+1 < len(g.Moves) && g.Moves[i+1].Tier != m.Tier {
				h := fmt.Sprintf("%s hands off to %s here", m.Tier, g.Moves[i+1].Tier)
				if !slices.Contains(o.handoffs[s], h) {
					o.handoffs[s] = append(o.handoffs[s], h)
				}
			}
			if s == at {
				continue
			}
			path := route(out, at, s, true)
			if path == nil {
				path = route(out, at, s, false)
			}
			for i := 1; i < len(path); i++ {
				k := [2]*playbooks.Step{path[i-1], path[i]}
				if !slices.Contains(o.onEdge[k], r) {
					o.onEdge[k] = append(o.onEdge[k], r)
				}
				mark(path[i], r)
			}
			mark(s, r)
			at = s
		}
	}
	slices.SortStableFunc(o.tiers, func(a, b playbooks.TierName) int { return o.rank(a) - o.rank(b) })
	return o
}

// route is the shortest way from a to b (breadth first, in the order of
// the edges), through steps that make no move of their own when quiet:
// checks and escalations. nil when there is none.
func route(out map[*playbooks.Step][]*group, a, b *playbooks.Step, quiet bool) []*playbooks.Step {
	prev := map[*playbooks.Step]*playbooks.Step{a: nil}
	queue := []*playbooks.Step{a}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if s == b {
			var path []*playbooks.Step
			for x := b; x != nil; x = prev[x] {
				path = append(path, x)
			}
			slices.Reverse(path)
			return path
		}
		if s != a && quiet && s.Kind != playbooks.StepCheck && s.Kind != playbooks.StepEscalate {
			continue
		}
		for _, g := range out[s] {
			if _, seen := prev[g.to]; !seen {
				prev[g.to] = s
				queue = append(queue, g.to)
			}
		}
	}
	return nil
}

// libraryGraph is the graph of a playbook of the library with what its
// scenarios practise: the coverage of the library's scenarios and the
// golden paths of scenario at every tier (of every scenario on the
// playbook when scenario is ""). A golden path that cannot be walked is
// left out: the coverage reports it.
func libraryGraph(lib *Library, p *playbooks.Playbook, scenario string) graphView {
	return graphOf(p, simulator.CoverageOf(p, lib.Scenarios), libraryGoldens(lib, p, scenario))
}

// libraryGoldens are the golden paths, at every tier, of the library's
// scenarios on a playbook (of scenario only, unless it is "").
func libraryGoldens(lib *Library, p *playbooks.Playbook, scenario string) []*simulator.Golden {
	var goldens []*simulator.Golden
	if lib.Scenarios != nil {
		for _, s := range lib.Scenarios.Scenarios {
			if lib.Scenarios.Playbook(s) != p || (scenario != "" && s.ID != scenario) {
				continue
			}
			for _, t := range p.Tiers {
				if g, err := simulator.GoldenPath(p, s, t); err == nil {
					goldens = append(goldens, g)
				}
			}
		}
	}
	return goldens
}

// A box is a rectangle a label takes.
type box struct{ x0, y0, x1, y1 float64 }

func (b box) hits(others []box) bool {
	for _, o := range others {
		if b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1 {
			return true
		}
	}
	return false
}

func bezier(p0, p1, p2, p3, t float64) float64 {
	u := 1 - t
	return u*u*u*p0 + 3*u*u*t*p1 + 3*u*t*t*p2 + t*t*t*p3
}
