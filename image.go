// This file holds Pillow-like images: NewImage, colors as Pillow reads
// them, and Draw with Pillow's geometry (rectangle, line, point, polygon,
// ellipse), pixel for pixel.

package flasky

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/image/colornames"
)

// Image is a picture to draw on, like a Pillow Image: made by [NewImage]
// in a mode ("RGB", "RGBA" or "L"), drawn on with [Draw], sent with
// [Ctx.SendImage]. It is an image.Image, so any Go encoder takes it;
// [Image.Image] gives the standard image underneath (*image.RGBA for
// "RGB", *image.NRGBA for "RGBA", *image.Gray for "L").
type Image struct {
	mode string
	img  image.Image
	pix  []byte
	bpp  int // bytes per pixel in pix
	w, h int
	str  int // stride
}

// NewImage makes a w x h image in mode "RGB", "RGBA" or "L" (8-bit
// grey), like Pillow's Image.new(mode, (w, h), bg). The background bg is
// any color [ParseColor] takes; without it the image is black
// (transparent black for "RGBA"), as in Pillow. An unknown mode or color,
// or a size that is not positive, is an error.
func NewImage(mode string, w, h int, bg ...any) (*Image, error) {
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("flasky: NewImage: size %dx%d is not positive", w, h)
	}
	if int64(w)*int64(h) > int64(MaxImagePixels) {
		return nil, fmt.Errorf("flasky: NewImage: %dx%d is more than %d pixels", w, h, MaxImagePixels)
	}
	m := &Image{mode: mode, w: w, h: h}
	r := image.Rect(0, 0, w, h)
	switch mode {
	case "RGB":
		i := image.NewRGBA(r)
		m.img, m.pix, m.bpp, m.str = i, i.Pix, 4, i.Stride
	case "RGBA":
		i := image.NewNRGBA(r)
		m.img, m.pix, m.bpp, m.str = i, i.Pix, 4, i.Stride
	case "L":
		i := image.NewGray(r)
		m.img, m.pix, m.bpp, m.str = i, i.Pix, 1, i.Stride
	default:
		return nil, fmt.Errorf("flasky: NewImage: unknown mode %q (want \"RGB\", \"RGBA\" or \"L\")", mode)
	}
	if len(bg) > 1 {
		return nil, fmt.Errorf("flasky: NewImage: %d background colors given, want at most one", len(bg))
	}
	var ink []byte
	if len(bg) > 0 && bg[0] != nil {
		var err error
		if ink, err = m.ink(bg[0]); err != nil {
			return nil, fmt.Errorf("flasky: NewImage: %w", err)
		}
	} else if mode == "RGB" {
		ink = []byte{0, 0, 0, 0xff}
	}
	if ink != nil && slices.ContainsFunc(ink, func(b byte) bool { return b != 0 }) {
		for y := range h {
			m.hline(0, y, w-1, ink)
		}
	}
	return m, nil
}

// Mode returns the image's mode: "RGB", "RGBA" or "L".
func (m *Image) Mode() string { return m.mode }

// Image returns the standard image that holds the pixels: *image.RGBA
// (always opaque) for "RGB", *image.NRGBA for "RGBA", *image.Gray for
// "L". Changing it changes m.
func (m *Image) Image() image.Image { return m.img }

// Bounds returns the image's rectangle, (0,0)-(w,h).
func (m *Image) Bounds() image.Rectangle { return m.img.Bounds() }

// ColorModel returns the color model of the image underneath.
func (m *Image) ColorModel() color.Model { return m.img.ColorModel() }

// At returns the color of the pixel at (x, y).
func (m *Image) At(x, y int) color.Color { return m.img.At(x, y) }

// ParseColor reads a color as Pillow's ImageColor does: "#rgb",
// "#rgba", "#rrggbb", "#rrggbbaa", "rgb(r, g, b)", "rgba(r, g, b, a)",
// or a CSS name ("red", "yellow", "navy"... from
// golang.org/x/image/colornames), in any case. An unknown color is an
// error that names it.
func ParseColor(s string) (color.NRGBA, error) {
	c, err := parseColor(s)
	if err != nil {
		return c, fmt.Errorf("flasky: %w", err)
	}
	return c, nil
}

func parseColor(s string) (color.NRGBA, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(t, "#") {
		h := t[1:]
		var v []uint8
		switch len(h) {
		case 3, 4:
			for i := range len(h) {
				n, err := strconv.ParseUint(h[i:i+1], 16, 8)
				if err != nil {
					return color.NRGBA{}, unknownColor(s)
				}
				v = append(v, uint8(n*17))
			}
		case 6, 8:
			for i := 0; i < len(h); i += 2 {
				n, err := strconv.ParseUint(h[i:i+2], 16, 8)
				if err != nil {
					return color.NRGBA{}, unknownColor(s)
				}
				v = append(v, uint8(n))
			}
		default:
			return color.NRGBA{}, unknownColor(s)
		}
		c := color.NRGBA{v[0], v[1], v[2], 0xff}
		if len(v) == 4 {
			c.A = v[3]
		}
		return c, nil
	}
	for _, fn := range []string{"rgba(", "rgb("} {
		if !strings.HasPrefix(t, fn) || !strings.HasSuffix(t, ")") {
			continue
		}
		parts := strings.Split(t[len(fn):len(t)-1], ",")
		if len(parts) != len(fn)-1 {
			return color.NRGBA{}, unknownColor(s)
		}
		v := []uint8{0, 0, 0, 0xff}
		for i, p := range parts {
			n, err := strconv.ParseUint(strings.TrimSpace(p), 10, 8)
			if err != nil {
				return color.NRGBA{}, unknownColor(s)
			}
			v[i] = uint8(n)
		}
		return color.NRGBA{v[0], v[1], v[2], v[3]}, nil
	}
	if c, ok := colornames.Map[t]; ok {
		return color.NRGBA(c), nil
	}
	return color.NRGBA{}, unknownColor(s)
}

func unknownColor(s string) error {
	return fmt.Errorf("unknown color %q (want #rgb, #rrggbb, #rrggbbaa, rgb(r, g, b) or a CSS name)", s)
}

// ink turns a color (a string for ParseColor or a color.Color) into the
// bytes of one pixel of m, as Pillow's ImageColor.getcolor does for the
// mode: "RGB" drops alpha, "L" takes ITU-R 601-2 luma.
func (m *Image) ink(v any) ([]byte, error) {
	var c color.NRGBA
	switch v := v.(type) {
	case string:
		var err error
		if c, err = parseColor(v); err != nil {
			return nil, err
		}
	case color.NRGBA:
		c = v
	case color.Color:
		c = color.NRGBAModel.Convert(v).(color.NRGBA)
	default:
		return nil, fmt.Errorf("%v (%T) is not a color", v, v)
	}
	switch m.mode {
	case "RGB":
		return []byte{c.R, c.G, c.B, 0xff}, nil
	case "RGBA":
		return []byte{c.R, c.G, c.B, c.A}, nil
	default:
		y := (uint32(c.R)*19595 + uint32(c.G)*38470 + uint32(c.B)*7471 + 0x8000) >> 16
		return []byte{uint8(y)}, nil
	}
}

// defaultInk is Pillow's ImageDraw ink when none is given: white.
func (m *Image) defaultInk() []byte {
	if m.bpp == 1 {
		return []byte{0xff}
	}
	return []byte{0xff, 0xff, 0xff, 0xff}
}

// DrawOption sets the colors and line width of a shape drawn by a
// [Drawer], like the fill=, outline= and width= arguments of Pillow's
// ImageDraw.
type DrawOption func(*drawOptions)

type drawOptions struct {
	fill, outline any
	width         int
	hasWidth      bool
	text          textOptions // options of Text, in image_text.go
}

// Fill sets the color inside a shape, or the color of a line or
// point: a string for [ParseColor] or any color.Color.
func Fill(c any) DrawOption { return func(o *drawOptions) { o.fill = c } }

// Outline sets the color of a shape's border, drawn inside its box.
func Outline(c any) DrawOption { return func(o *drawOptions) { o.outline = c } }

// Width sets the width in pixels of a line or of a shape's border
// (Pillow's default: 1 for borders, 0, that is 1, for lines). A border of
// width 0 is not drawn.
func Width(n int) DrawOption {
	return func(o *drawOptions) { o.width, o.hasWidth = n, true }
}

// Drawer draws on an [Image] with Pillow's geometry, like the object
// Pillow's ImageDraw.Draw returns. Coordinates are pixels and include
// both corners: Rectangle(40, 40, 210, 180) covers 171x141 pixels, and
// a border of width w is drawn inside that box. Pixels outside the image
// are clipped. Drawing replaces pixels (alpha included), as Pillow does;
// it does not blend.
type Drawer struct {
	m *Image
}

// Draw returns a [Drawer] for m, like Pillow's ImageDraw.Draw(im).
func Draw(m *Image) *Drawer { return &Drawer{m: m} }

// inks resolves the options into fill and outline inks, as Pillow's
// _getink does: with neither given, the outline is white.
func (d *Drawer) inks(op string, opts []DrawOption) (fill, outline []byte, o drawOptions, err error) {
	for _, fn := range opts {
		fn(&o)
	}
	if o.fill != nil {
		if fill, err = d.m.ink(o.fill); err != nil {
			return nil, nil, o, fmt.Errorf("flasky: %s: fill: %w", op, err)
		}
	}
	if o.outline != nil {
		if outline, err = d.m.ink(o.outline); err != nil {
			return nil, nil, o, fmt.Errorf("flasky: %s: outline: %w", op, err)
		}
	}
	if fill == nil && outline == nil {
		outline = d.m.defaultInk()
	}
	if !o.hasWidth {
		o.width = 1
	}
	return fill, outline, o, nil
}

// lineInk is the ink of a line or point: Fill, else white.
func (d *Drawer) lineInk(op string, opts []DrawOption) ([]byte, drawOptions, error) {
	var o drawOptions
	for _, fn := range opts {
		fn(&o)
	}
	if o.fill == nil {
		return d.m.defaultInk(), o, nil
	}
	ink, err := d.m.ink(o.fill)
	if err != nil {
		return nil, o, fmt.Errorf("flasky: %s: fill: %w", op, err)
	}
	return ink, o, nil
}

// Rectangle draws the box with corners (x0, y0) and (x1, y1), both
// inside it, like Pillow's rectangle((x0, y0, x1, y1), fill, outline,
// width): [Fill] paints the inside, [Outline] a border [Width] pixels
// wide inside the box. Corners given the other way round are swapped.
// With neither color given, the border is white.
func (d *Drawer) Rectangle(x0, y0, x1, y1 int, opts ...DrawOption) error {
	fill, outline, o, err := d.inks("Rectangle", opts)
	if err != nil {
		return err
	}
	m := d.m
	if y0 > y1 {
		y0, y1 = y1, y0
	}
	if fill != nil {
		for y := max(y0, 0); y <= min(y1, m.h-1); y++ {
			m.hline(x0, y, x1, fill)
		}
	}
	if outline == nil || o.width == 0 || slices.Equal(outline, fill) {
		return nil
	}
	w := o.width
	for i := range w {
		m.hline(x0, y0+i, x1, outline)
		m.hline(x0, y1-i, x1, outline)
		m.line(x1-i, y0+w, x1-i, y1-w+1, outline)
		m.line(x0+i, y0+w, x0+i, y1-w+1, outline)
	}
	return nil
}

// Line draws a line through the points xy (x0, y0, x1, y1, ...), both
// ends included, like Pillow's line(xy, fill, width). [Fill] sets the
// color (default white) and [Width] the width: a wide line is a
// rectangle along it, without joints. An odd number of coordinates or
// fewer than two points is an error.
func (d *Drawer) Line(xy []int, opts ...DrawOption) error {
	ink, o, err := d.lineInk("Line", opts)
	if err != nil {
		return err
	}
	if len(xy)%2 != 0 || len(xy) < 4 {
		return fmt.Errorf("flasky: Line: %d coordinates: want x, y pairs, two points or more", len(xy))
	}
	m := d.m
	if o.width <= 1 {
		for i := 0; i+3 < len(xy); i += 2 {
			m.line(xy[i], xy[i+1], xy[i+2], xy[i+3], ink)
		}
		m.point(xy[len(xy)-2], xy[len(xy)-1], ink)
		return nil
	}
	for i := 0; i+3 < len(xy); i += 2 {
		m.wideLine(xy[i], xy[i+1], xy[i+2], xy[i+3], ink, o.width)
	}
	return nil
}

// Point sets the pixels at the points xy (x0, y0, x1, y1, ...) to the
// [Fill] color (default white), like Pillow's point(xy, fill). Points
// outside the image are skipped.
func (d *Drawer) Point(xy []int, opts ...DrawOption) error {
	ink, _, err := d.lineInk("Point", opts)
	if err != nil {
		return err
	}
	if len(xy)%2 != 0 {
		return fmt.Errorf("flasky: Point: %d coordinates: want x, y pairs", len(xy))
	}
	for i := 0; i+1 < len(xy); i += 2 {
		d.m.point(xy[i], xy[i+1], ink)
	}
	return nil
}

// Polygon draws the polygon through the points xy (x0, y0, x1, y1, ...),
// closed back to the first, like Pillow's polygon(xy, fill, outline,
// width): [Fill] paints the inside, [Outline] the edges, [Width] pixels
// wide (default 1) and drawn inside the polygon, never outside it. With
// neither color given, the edges are white. Fewer than two points is an
// error.
func (d *Drawer) Polygon(xy []int, opts ...DrawOption) error {
	fill, outline, o, err := d.inks("Polygon", opts)
	if err != nil {
		return err
	}
	if len(xy)%2 != 0 || len(xy) < 4 {
		return fmt.Errorf("flasky: Polygon: %d coordinates: want x, y pairs, two points or more", len(xy))
	}
	m := d.m
	if fill != nil {
		m.fillPolygon(xy, fill)
	}
	if outline == nil || o.width == 0 || slices.Equal(outline, fill) {
		return nil
	}
	if o.width > 1 {
		m.widePolygonOutline(xy, outline, o.width)
		return nil
	}
	n := len(xy)
	for i := 0; i+3 < n; i += 2 {
		m.line(xy[i], xy[i+1], xy[i+2], xy[i+3], outline)
	}
	m.line(xy[n-2], xy[n-1], xy[0], xy[1], outline)
	return nil
}

// Ellipse draws the ellipse inside the box with corners (x0, y0) and
// (x1, y1), both included, like Pillow's ellipse((x0, y0, x1, y1), fill,
// outline, width): [Fill] paints the inside, [Outline] a border [Width]
// pixels wide inside the box. With neither color given, the border is
// white. A box with x1 < x0 or y1 < y0 draws nothing.
func (d *Drawer) Ellipse(x0, y0, x1, y1 int, opts ...DrawOption) error {
	fill, outline, o, err := d.inks("Ellipse", opts)
	if err != nil {
		return err
	}
	a, b := x1-x0, y1-y0
	if a < 0 || b < 0 {
		return nil
	}
	if fill != nil {
		d.m.ellipse(x0, y0, a, b, a+b, fill)
	}
	if outline != nil && o.width != 0 && !slices.Equal(outline, fill) {
		d.m.ellipse(x0, y0, a, b, o.width, outline)
	}
	return nil
}

// point sets one pixel, if it is inside the image.
func (m *Image) point(x, y int, ink []byte) {
	if x >= 0 && x < m.w && y >= 0 && y < m.h {
		copy(m.pix[y*m.str+x*m.bpp:], ink)
	}
}

// hline fills row y from x0 to x1, both included, in either order.
func (m *Image) hline(x0, y, x1 int, ink []byte) {
	if y < 0 || y >= m.h {
		return
	}
	if x0 > x1 {
		x0, x1 = x1, x0
	}
	x0, x1 = max(x0, 0), min(x1, m.w-1)
	if x0 > x1 {
		return
	}
	row := m.pix[y*m.str+x0*m.bpp : y*m.str+(x1+1)*m.bpp]
	if m.bpp == 1 {
		for i := range row {
			row[i] = ink[0]
		}
		return
	}
	n := copy(row, ink)
	for n < len(row) {
		n += copy(row[n:], row[:n])
	}
}

// line draws from (x0, y0) towards (x1, y1) with Bresenham's algorithm,
// the end point excluded, as Pillow's ImagingDrawLine does.
func (m *Image) line(x0, y0, x1, y1 int, ink []byte) {
	dx, xs := x1-x0, 1
	if dx < 0 {
		dx, xs = -dx, -1
	}
	dy, ys := y1-y0, 1
	if dy < 0 {
		dy, ys = -dy, -1
	}
	switch {
	case dx == 0 && dy == 0:
		m.point(x0, y0, ink)
	case dx == 0:
		for range dy {
			m.point(x0, y0, ink)
			y0 += ys
		}
	case dy == 0:
		for range dx {
			m.point(x0, y0, ink)
			x0 += xs
		}
	case dx > dy:
		n := dx
		dy += dy
		e := dy - dx
		dx += dx
		for range n {
			m.point(x0, y0, ink)
			if e >= 0 {
				y0 += ys
				e -= dx
			}
			e += dy
			x0 += xs
		}
	default:
		n := dy
		dx += dx
		e := dx - dy
		dy += dy
		for range n {
			m.point(x0, y0, ink)
			if e >= 0 {
				x0 += xs
				e -= dy
			}
			e += dx
			y0 += ys
		}
	}
}

// roundUp and roundDown round halves away from and towards zero, on
// float32 values as Pillow's ROUND_UP and ROUND_DOWN do.
func roundUp(f float64) int {
	if f >= 0 {
		return int(math.Floor(f + 0.5))
	}
	return -int(math.Floor(math.Abs(f) + 0.5))
}

func roundDown(f float64) int {
	if f >= 0 {
		return int(math.Ceil(f - 0.5))
	}
	return -int(math.Ceil(math.Abs(f) - 0.5))
}

// wideLine draws a line of the given width as the quadrilateral Pillow's
// ImagingDrawWideLine fills.
func (m *Image) wideLine(x0, y0, x1, y1 int, ink []byte, width int) {
	dx, dy := x1-x0, y1-y0
	if dx == 0 && dy == 0 {
		m.point(x0, y0, ink)
		return
	}
	big := math.Hypot(float64(dx), float64(dy))
	small := float64(width-1) / 2
	ratioMax := float64(roundUp(small)) / big
	ratioMin := float64(roundDown(small)) / big
	dxmin := roundDown(ratioMin * float64(dy))
	dxmax := roundDown(ratioMax * float64(dy))
	dymin := roundDown(ratioMin * float64(dx))
	dymax := roundDown(ratioMax * float64(dx))
	v := []int{
		x0 - dxmin, y0 + dymax,
		x1 - dxmin, y1 + dymax,
		x1 + dxmax, y1 - dymin,
		x0 + dxmax, y0 - dymin,
	}
	var e [4]edge
	for i := range 4 {
		j := (i + 1) % 4
		e[i] = newEdge(v[2*i], v[2*i+1], v[2*j], v[2*j+1])
	}
	m.polygonEdges(e[:], ink)
}

// edge is one side of a polygon, as Pillow's polygon filler keeps it.
type edge struct {
	x0, y0, xmin, ymin, xmax, ymax int
	dx                             float32
}

func newEdge(x0, y0, x1, y1 int) edge {
	e := edge{x0: x0, y0: y0, xmin: min(x0, x1), xmax: max(x0, x1), ymin: min(y0, y1), ymax: max(y0, y1)}
	if y0 != y1 {
		e.dx = float32(x1-x0) / float32(y1-y0)
	}
	return e
}

// fillPolygon fills the polygon through xy.
func (m *Image) fillPolygon(xy []int, ink []byte) {
	n := len(xy) / 2
	es := make([]edge, 0, n)
	for i := 0; i < n-1; i++ {
		es = append(es, newEdge(xy[2*i], xy[2*i+1], xy[2*i+2], xy[2*i+3]))
	}
	if xy[2*n-2] != xy[0] || xy[2*n-1] != xy[1] {
		es = append(es, newEdge(xy[2*n-2], xy[2*n-1], xy[0], xy[1]))
	}
	m.polygonEdges(es, ink)
}

// polygonEdges is Pillow's scan-line polygon filler: horizontal edges are
// drawn as they are, and each row is filled between pairs of crossings,
// rounded inwards.
func (m *Image) polygonEdges(es []edge, ink []byte) {
	ymin, ymax := m.h-1, 0
	table := make([]*edge, 0, len(es))
	for i := range es {
		e := &es[i]
		ymin, ymax = min(ymin, e.ymin), max(ymax, e.ymax)
		if e.ymin == e.ymax {
			m.hline(e.xmin, e.ymin, e.xmax, ink)
			continue
		}
		table = append(table, e)
	}
	ymin, ymax = max(ymin, 0), min(ymax, m.h)
	xx := make([]float32, 0, 2*len(table))
	for y := ymin; y <= ymax; y++ {
		xx = xx[:0]
		for _, e := range table {
			if y >= e.ymin && y <= e.ymax {
				x := float32(float32(y-e.y0)*e.dx) + float32(e.x0)
				xx = append(xx, x)
				if y == e.ymax && y < ymax {
					xx = append(xx, x)
				}
			}
		}
		slices.Sort(xx)
		for i := 1; i < len(xx); i += 2 {
			m.hline(roundUp(float64(xx[i-1])), y, roundDown(float64(xx[i])), ink)
		}
	}
}

// quarter walks a quarter of an ellipse with semi-axes a/2 and b/2 on a
// grid of step 2, as Pillow's quarter_state does.
type quarter struct {
	cx, cy, ex, ey int32
	a2, b2, a2b2   int64
	done           bool
}

func newQuarter(a, b int32) quarter {
	if a < 0 || b < 0 {
		return quarter{done: true}
	}
	return quarter{cx: a, cy: b % 2, ex: a % 2, ey: b,
		a2: int64(a) * int64(a), b2: int64(b) * int64(b), a2b2: int64(a) * int64(a) * int64(b) * int64(b)}
}

func (s *quarter) delta(x, y int64) int64 {
	d := s.a2*y*y + s.b2*x*x - s.a2b2
	if d < 0 {
		return -d
	}
	return d
}

func (s *quarter) next() (x, y int32, ok bool) {
	if s.done {
		return 0, 0, false
	}
	x, y = s.cx, s.cy
	if s.cx == s.ex && s.cy == s.ey {
		s.done = true
		return x, y, true
	}
	nx, ny := s.cx, s.cy+2
	nd := s.delta(int64(nx), int64(ny))
	if nx > 1 {
		if d := s.delta(int64(s.cx-2), int64(s.cy+2)); nd > d {
			nx, ny, nd = s.cx-2, s.cy+2, d
		}
		if d := s.delta(int64(s.cx-2), int64(s.cy)); nd > d {
			nx, ny = s.cx-2, s.cy
		}
	}
	s.cx, s.cy = nx, ny
	return x, y, true
}

// ellipse draws the ring of the given width inside the box at (x0, y0)
// of size a x b (a = x1-x0), row by row as Pillow's ellipse_state yields
// the rows (see ellipseSpans).
func (m *Image) ellipse(x0, y0, a, b, width int, ink []byte) {
	if width < 1 {
		return
	}
	ellipseSpans(a, b, width, func(l, y, r int32) {
		m.hline(x0+(int(l)+a)/2, y0+(int(y)+b)/2, x0+(int(r)+a)/2, ink)
	})
}

// MaxImagePixels is the largest image, in pixels, that [NewImage] makes
// and [DecodeImage] reads: Pillow's Image.MAX_IMAGE_PIXELS, 89,478,485
// (a quarter of a gigabyte of RGBA). A picture that claims more is
// refused before any pixel is allocated.
var MaxImagePixels = 89_478_485

// widePolygonOutline draws the edges of the polygon through xy width
// pixels wide, inside the polygon only, as Pillow does: lines of width
// 2*width-1 centred on the edges, kept where the polygon's own fill
// would paint.
func (m *Image) widePolygonOutline(xy []int, ink []byte, width int) {
	inside := &Image{mode: "L", w: m.w, h: m.h, str: m.w, bpp: 1, pix: make([]byte, m.w*m.h)}
	lines := &Image{mode: "L", w: m.w, h: m.h, str: m.w, bpp: 1, pix: make([]byte, m.w*m.h)}
	on := []byte{1}
	inside.fillPolygon(xy, on)
	n := len(xy)
	for i := 0; i+3 < n; i += 2 {
		lines.wideLine(xy[i], xy[i+1], xy[i+2], xy[i+3], on, 2*width-1)
	}
	lines.wideLine(xy[n-2], xy[n-1], xy[0], xy[1], on, 2*width-1)
	for i, v := range lines.pix {
		if v != 0 && inside.pix[i] != 0 {
			y, x := i/m.w, i%m.w
			copy(m.pix[y*m.str+x*m.bpp:], ink)
		}
	}
}
