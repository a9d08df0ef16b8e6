// The raster under Drawer: spans, lines, polygons and ellipses written
// straight into an Image's pixels with Pillow's integer geometry.

package flasky

import (
	"math"
	"slices"
)

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
