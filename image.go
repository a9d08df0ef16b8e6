// Images follow Pillow: modes, colors as ImageColor reads them, and
// ImageDraw's geometry, pixel for pixel.

package flasky

import (
	"fmt"
	"image"
	"image/color"
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

// MaxImagePixels is the largest image, in pixels, that [NewImage] makes
// and [DecodeImage] reads: Pillow's Image.MAX_IMAGE_PIXELS, 89,478,485
// (a quarter of a gigabyte of RGBA). A picture that claims more is
// refused before any pixel is allocated.
var MaxImagePixels = 89_478_485
