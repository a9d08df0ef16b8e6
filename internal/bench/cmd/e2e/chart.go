package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/flasky-go/flasky"
)

// chartBar is one horizontal bar of the chart.
type chartBar struct {
	label string  // left of the bar
	value float64 // in the panel's unit; bars longer than the panel's scale are cut
	text  string  // right of the bar area
	color string
	mark  float64 // a goal's value, drawn as a black tick across the bar; 0 for none
}

// chartGroup is bars under one heading.
type chartGroup struct {
	title string
	bars  []chartBar
}

// chartPanel is one chart with its own scale.
type chartPanel struct {
	title  string
	groups []chartGroup
	ref    float64 // a vertical reference line (1 = the baseline), 0 for none
	max    float64 // the scale's end; 0 to fit the values
}

// Colours of the chart, one per server, and of goals met and missed.
var (
	serverColors = map[string]string{
		"flasky": "#1f77b4", "nethttp": "#7f7f7f", "httprouter": "#8c564b", "gin": "#2ca02c",
		"echo": "#9467bd", "chi": "#17becf", "gunicorn": "#ff7f0e", "flask-dev": "#d62728",
	}
	metColor    = "#2ca02c"
	missedColor = "#d62728"
)

// chartMaxScore is where the goals panel's scale ends: a goal met twice
// over or more is drawn as twice.
const chartMaxScore = 2.0

// chartPanels turns a report into the chart's panels: each server's req/s
// relative to raw net/http per case, flasky's over gunicorn+Flask's per
// case, and every goal's score.
func chartPanels(r *report) []chartPanel {
	var out []chartPanel
	rel := chartPanel{title: "req/s relative to raw net/http, same case (1 = net/http; longer is faster)", ref: 1}
	vsGunicorn := chartPanel{title: "flasky req/s / gunicorn+Flask req/s (tick: the goal)"}
	var gun chartGroup
	for _, c := range cases {
		base := medianRPS(findRow(r.rows, c.name, "nethttp"))
		var g chartGroup
		g.title = fit(c.name+" "+asciiRequest(c), labelW/7)
		for _, row := range r.rows {
			if row.cas.name != c.name || base <= 0 {
				continue
			}
			x := medianRPS(row) / base
			b := chartBar{label: serverLabel(row.server), value: x, color: serverColors[row.server],
				text: fmt.Sprintf("%s  (%.0f req/s)", fmtRatio(x), medianRPS(row))}
			if row.server == "flasky" {
				for _, cg := range c.goals {
					if cg.vs == "nethttp" {
						b.mark = cg.min
					}
				}
			}
			g.bars = append(g.bars, b)
		}
		if len(g.bars) > 0 {
			rel.groups = append(rel.groups, g)
		}
		fl, gu := medianRPS(findRow(r.rows, c.name, "flasky")), medianRPS(findRow(r.rows, c.name, "gunicorn"))
		if fl > 0 && gu > 0 {
			b := chartBar{label: c.name, value: fl / gu, color: serverColors["flasky"], text: fmtRatio(fl / gu)}
			for _, cg := range c.goals {
				if cg.vs == "gunicorn" {
					b.mark = cg.min
					b.color = missedColor
					if b.value >= cg.min {
						b.color = metColor
					}
					b.text += fmt.Sprintf("  (goal %gx)", cg.min)
				}
			}
			gun.bars = append(gun.bars, b)
		}
	}
	if len(rel.groups) > 0 {
		out = append(out, rel)
	}
	if len(gun.bars) > 0 {
		vsGunicorn.groups = []chartGroup{gun}
		out = append(out, vsGunicorn)
	}
	goals := chartPanel{title: "Goals: measured / goal, inverted where lower is better (1 = just met)", ref: 1, max: chartMaxScore}
	var last string
	for _, g := range r.goals() {
		if !g.known {
			continue
		}
		if g.area != last || len(goals.groups) == 0 {
			goals.groups = append(goals.groups, chartGroup{title: g.area})
			last = g.area
		}
		b := chartBar{label: g.short, value: g.score(), color: missedColor, text: "NOT met  " + goalNumbers(g)}
		if g.met {
			b.color, b.text = metColor, "met  "+goalNumbers(g)
		}
		grp := &goals.groups[len(goals.groups)-1]
		grp.bars = append(grp.bars, b)
	}
	if len(goals.groups) > 0 {
		out = append(out, goals)
	}
	return out
}

// goalNumbers is a goal's value and limit, short, in ASCII.
func goalNumbers(g goal) string {
	op := ">="
	if g.lower {
		op = "<="
	}
	unit := "x"
	if g.area == "upload" && !strings.Contains(g.short, "time") {
		unit = " MiB" // peak RSS, not a ratio
	}
	if unit == "x" {
		return fmt.Sprintf("%s %s %gx", fmtRatio(g.value), op, g.limit)
	}
	return fmt.Sprintf("%.1f%s %s %g%s", g.value, unit, op, g.limit, unit)
}

// fit cuts s to n characters, ending in "..." when cut.
func fit(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}

// asciiRequest is the case's request with its query cut, for the
// chart's ASCII font.
func asciiRequest(c benchCase) string {
	p := c.path
	for i := range len(p) {
		if p[i] == '?' {
			return "GET " + p[:i] + "?..."
		}
	}
	return "GET " + p
}

// Layout of the chart, in pixels. The font is basicfont's 7x13.
const (
	chartW      = 1040
	chartMargin = 12
	labelW      = 210 // bar labels, left of the bars: 28 characters
	textW       = 230 // values, right of the bars
	rowH        = 16
	barH        = 11
	headH       = 18 // a group's heading
	titleH      = 24 // a panel's title
	axisH       = 20 // tick labels under a panel
	panelGap    = 14
	barX0       = chartMargin + labelW
	barX1       = chartW - chartMargin - textW
)

// canvas draws on an image and keeps the first error.
type canvas struct {
	d   *flasky.Drawer
	err error
}

func (c *canvas) rect(x0, y0, x1, y1 int, col string) {
	if c.err == nil {
		c.err = c.d.Rectangle(x0, y0, x1, y1, flasky.Fill(col))
	}
}

func (c *canvas) line(x0, y0, x1, y1 int, col string) {
	if c.err == nil {
		c.err = c.d.Line([]int{x0, y0, x1, y1}, flasky.Fill(col))
	}
}

func (c *canvas) text(x, y int, s, col string) {
	if c.err == nil {
		c.err = c.d.Text(x, y, s, flasky.Fill(col))
	}
}

// panelHeight is the height a panel takes.
func panelHeight(p chartPanel) int {
	h := titleH + axisH
	for _, g := range p.groups {
		if g.title != "" {
			h += headH
		}
		h += len(g.bars) * rowH
	}
	return h
}

// scaleMax is where a panel's scale ends: its max, or a round number
// just above its longest bar, tick and reference line.
func scaleMax(p chartPanel) float64 {
	if p.max > 0 {
		return p.max
	}
	m := p.ref
	for _, g := range p.groups {
		for _, b := range g.bars {
			m = max(m, b.value, b.mark)
		}
	}
	if m <= 0 {
		return 1
	}
	step := tickStep(m * 1.05)
	return math.Ceil(m*1.05/step) * step
}

// tickStep is a round step that cuts 0..m into at most 8 parts.
func tickStep(m float64) float64 {
	for mag := math.Pow(10, math.Floor(math.Log10(m))-1); ; mag *= 10 {
		for _, f := range []float64{1, 2, 2.5, 5} {
			if m/(f*mag) <= 8 {
				return f * mag
			}
		}
	}
}

// xOf is the pixel column of value v on a scale ending at m.
func xOf(v, m float64) int {
	return barX0 + int(math.Round(min(v, m)/m*float64(barX1-barX0)))
}

// drawChart draws the panels under a title.
func drawChart(title, footer string, panels []chartPanel) (*flasky.Image, error) {
	if len(panels) == 0 {
		return nil, errors.New("chart: nothing measured to draw")
	}
	h := chartMargin + titleH + chartMargin + 16
	for _, p := range panels {
		h += panelHeight(p) + panelGap
	}
	im, err := flasky.NewImage("RGB", chartW, h, "white")
	if err != nil {
		return nil, err
	}
	c := &canvas{d: flasky.Draw(im)}
	c.text(chartMargin, chartMargin, title, "#000000")
	y := chartMargin + titleH + chartMargin
	for _, p := range panels {
		y = drawPanel(c, p, y) + panelGap
	}
	c.text(chartMargin, y, footer, "#555555")
	return im, c.err
}

// drawPanel draws one panel with its top at y and returns its bottom.
func drawPanel(c *canvas, p chartPanel, y int) int {
	m := scaleMax(p)
	c.text(chartMargin, y, p.title, "#000000")
	top := y + titleH
	bottom := top + panelHeight(p) - titleH - axisH
	step := tickStep(m)
	for v := 0.0; v <= m+step/1000; v += step {
		x := xOf(v, m)
		c.line(x, top, x, bottom, "#e4e4e4")
		label := fmt.Sprintf("%g", math.Round(v*100)/100)
		w, _ := flasky.TextSize(nil, label)
		c.text(x-w/2, bottom+4, label, "#555555")
	}
	y = top
	for _, g := range p.groups {
		if g.title != "" {
			c.text(chartMargin, y+3, g.title, "#333333")
			y += headH
		}
		for _, b := range g.bars {
			c.text(chartMargin+8, y+2, fit(b.label, (labelW-12)/7), "#222222")
			if end := xOf(b.value, m); end > barX0 {
				c.rect(barX0, y+2, end-1, y+2+barH-1, b.color)
			}
			if b.value > m {
				c.text(barX1+2, y+2, ">", "#000000")
			}
			if b.mark > 0 && b.mark <= m {
				x := xOf(b.mark, m)
				c.rect(x-1, y, x, y+barH+3, "#000000")
			}
			c.text(barX1+12, y+2, b.text, "#222222")
			y += rowH
		}
	}
	if p.ref > 0 && p.ref <= m {
		x := xOf(p.ref, m)
		c.line(x, top, x, bottom, "#444444")
	}
	c.line(barX0, top, barX0, bottom, "#444444")
	return bottom + axisH
}

// writeChart draws the report's chart and writes it as a PNG to path,
// making its folder if needed.
func writeChart(path string, r *report) error {
	title := "flasky benchmarks: one run of go run ./cmd/e2e"
	footer := fmt.Sprintf("%s; wrk: %s of %s per server and case. Drawn with flasky.NewImage, Draw, Text and EncodeImage.",
		r.date, plural(r.opts.reps, "one run", "medians of %d runs"), r.opts.duration)
	im, err := drawChart(title, footer, chartPanels(r))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	if err := flasky.EncodeImage(f, im, flasky.PNG()); err != nil {
		f.Close()
		return fmt.Errorf("chart %s: %w", path, err)
	}
	return f.Close()
}
