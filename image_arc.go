// Arc follows Pillow's geometry: its ellipse rows clipped by half-planes
// through the ends of the arc.

package flasky

import "math"

// Arc draws the part of the ellipse inside the box with corners
// (x0, y0) and (x1, y1), both included, from the angle start to the
// angle end, like Pillow's arc((x0, y0, x1, y1), start, end, fill,
// width). Angles are in degrees, measured clockwise from 3 o'clock; an
// arc of 360 degrees or more is the whole ellipse. [Fill] sets the color
// (default white) and [Width] the width of the curve, drawn inside the
// box (default 1; 0 draws nothing). Coordinates are truncated to
// integers, as Pillow does. A box with x1 < x0 or y1 < y0 draws nothing.
func (d *Drawer) Arc(x0, y0, x1, y1, start, end float64, opts ...DrawOption) error {
	ink, o, err := d.lineInk("Arc", opts)
	if err != nil {
		return err
	}
	w := 1
	if o.hasWidth {
		w = o.width
	}
	if w < 1 {
		return nil
	}
	ix0, iy0, ix1, iy1 := int(x0), int(y0), int(x1), int(y1)
	a, b := ix1-ix0, iy1-iy0
	if a < 0 || b < 0 {
		return nil
	}
	al, ar := normalizeAngles(float32(start), float32(end))
	if al+360 == ar {
		d.m.ellipse(ix0, iy0, a, b, w, ink)
		return nil
	}
	if al == ar {
		return nil
	}
	root := arcClip(a, b, al, ar)
	m := d.m
	ellipseSpans(a, b, w, func(l, y, r int32) {
		for _, s := range root.clip(l, y, r) {
			m.hline(ix0+(int(s[0])+a)/2, iy0+(int(y)+b)/2, ix0+(int(s[1])+a)/2, ink)
		}
	})
	return nil
}

// normalizeAngles brings the angles to 0 <= al < 360, al <= ar <=
// al+360, in float32 as Pillow does.
func normalizeAngles(al, ar float32) (float32, float32) {
	if ar-al >= 360 {
		return 0, 360
	}
	if al < 0 {
		al = float32(360 - math.Mod(float64(-al), 360))
	}
	al = float32(math.Mod(float64(al), 360))
	var span float32
	if ar < al {
		span = float32(360 - math.Mod(float64(al-ar), 360))
	} else {
		span = ar - al
	}
	ar = al + float32(math.Mod(float64(span), 360))
	return al, ar
}

// clipKind is the kind of a clipNode.
type clipKind int

const (
	clipHalf clipKind = iota // the half-plane a*x + b*y + c >= 0
	clipAnd                  // both children
	clipOr                   // either child
)

// clipNode is a tree of half-planes, in the doubled coordinates of
// ellipseSpans, that cuts an arc out of an ellipse's rows.
type clipNode struct {
	kind    clipKind
	a, b, c float64
	l, r    *clipNode
}

// clip cuts the row y from x0 to x1 (both included) to the node and
// returns the pieces left, as sorted inclusive intervals.
func (n *clipNode) clip(x0, y, x1 int32) [][2]int32 {
	if n == nil {
		return [][2]int32{{x0, x1}}
	}
	switch n.kind {
	case clipHalf:
		const eps = 1e-9
		yf := float64(y)
		if math.Abs(n.a) < eps {
			if n.b*yf+n.c < -eps {
				return nil
			}
		} else {
			ix := -(n.b*yf + n.c) / n.a
			if n.a*float64(x0)+n.b*yf+n.c < eps {
				x0 = int32(math.Round(math.Max(float64(x0), ix)))
			}
			if n.a*float64(x1)+n.b*yf+n.c < eps {
				x1 = int32(math.Round(math.Min(float64(x1), ix)))
			}
		}
		if x0 > x1 {
			return nil
		}
		return [][2]int32{{x0, x1}}
	case clipAnd:
		ls, rs := n.l.clip(x0, y, x1), n.r.clip(x0, y, x1)
		var out [][2]int32
		for _, p := range ls {
			for _, q := range rs {
				if s, e := max(p[0], q[0]), min(p[1], q[1]); s <= e {
					out = append(out, [2]int32{s, e})
				}
			}
		}
		return out
	default:
		all := append(n.l.clip(x0, y, x1), n.r.clip(x0, y, x1)...)
		if len(all) < 2 {
			return all
		}
		for i := 1; i < len(all); i++ { // insertion sort: a handful of pieces
			for j := i; j > 0 && all[j][0] < all[j-1][0]; j-- {
				all[j], all[j-1] = all[j-1], all[j]
			}
		}
		out := all[:1]
		for _, p := range all[1:] {
			if last := &out[len(out)-1]; p[0] <= last[1] {
				last[1] = max(last[1], p[1])
			} else {
				out = append(out, p)
			}
		}
		return out
	}
}

// transpose mirrors the half-planes of the tree about the line y = x.
func (n *clipNode) transpose() {
	if n == nil {
		return
	}
	if n.kind == clipHalf {
		n.a, n.b = n.b, n.a
	}
	n.l.transpose()
	n.r.transpose()
}

// arcClip builds the clip tree of an arc from al to ar (normalized) on
// the ellipse of box size a x b: the caps are cut square to the curve,
// as Pillow's arc does.
func arcClip(a, b int, al, ar float32) *clipNode {
	if a < b {
		n := arcClip(b, a, 90-ar, 90-al)
		n.transpose()
		return n
	}
	al, ar = normalizeAngles(al, ar)
	if ar == al+360 {
		return nil
	}
	fa, fb := float64(a), float64(b)
	l64, r64 := float64(al), float64(ar)
	d2 := float64(a*a - b*b)
	lc := &clipNode{kind: clipHalf,
		a: -fa * math.Sin(l64*math.Pi/180),
		b: fb * math.Cos(l64*math.Pi/180),
		c: d2 * math.Sin(l64*math.Pi/90) / 2}
	rc := &clipNode{kind: clipHalf,
		a: fa * math.Sin(r64*math.Pi/180),
		b: -fb * math.Cos(r64*math.Pi/180),
		c: -d2 * math.Sin(r64*math.Pi/90) / 2}
	join := clipOr
	if ar-al < 180 {
		join = clipAnd
	}
	halfY := func(up bool) *clipNode {
		n := &clipNode{kind: clipHalf, b: -1}
		if up {
			n.b = 1
		}
		return n
	}
	switch {
	case math.Mod(l64, 180) == 0 || math.Mod(r64, 180) == 0:
		return &clipNode{kind: join, l: lc, r: rc}
	case (int(al/180)+int(ar/180))%2 == 1:
		return &clipNode{kind: clipOr,
			l: &clipNode{kind: clipAnd, l: halfY(int(al/180)%2 == 0), r: lc},
			r: &clipNode{kind: clipAnd, l: halfY(int(ar/180)%2 == 0), r: rc}}
	default:
		return &clipNode{kind: join,
			l: &clipNode{kind: join, l: lc, r: rc},
			r: halfY(ar < 180 || ar > 540)}
	}
}

// ellipseSpans calls fn with the rows (l, y, r) of the ring of the given
// width inside a box of size a x b, in doubled coordinates centred on
// the box (pixel x is x0 + (l+a)/2), as Pillow's ellipse_state yields
// them. Image.ellipse and Arc draw from it.
func ellipseSpans(a, b, width int, fn func(l, y, r int32)) {
	out := newQuarter(int32(a), int32(b))
	leftmost := int32(a % 2)
	pr, py, ok := out.next()
	if !ok {
		return
	}
	in := newQuarter(int32(a-2*(width-1)), int32(b-2*(width-1)))
	pl := leftmost
	finished := false
	for !finished {
		y, l, r := py, pl, pr
		var cx, cy int32
		for {
			cx, cy, ok = out.next()
			if !ok || cy > y {
				break
			}
		}
		if !ok {
			finished = true
		} else {
			pr, py = cx, cy
		}
		for {
			cx, cy, ok = in.next()
			if !ok || cy > y {
				break
			}
			l = cx
		}
		if ok {
			pl = cx
		} else {
			pl = leftmost
		}
		ll := l
		if l == 0 {
			ll = 2
		}
		if (l > 0 || l < r) && y > 0 {
			fn(ll, y, r)
		}
		if y > 0 {
			fn(-r, y, -l)
		}
		if l > 0 || l < r {
			fn(ll, -y, r)
		}
		fn(-r, -y, -l)
	}
}
