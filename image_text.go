// Text is drawn with a default bitmap font (basicfont's 7x13) or any
// TrueType/OpenType font.

package flasky

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// textOptions are the options of [Drawer.Text], kept in drawOptions.
type textOptions struct {
	face font.Face
}

// lineSpacing is the gap in pixels between lines of text, Pillow's
// default spacing=4 for multiline_text.
const lineSpacing = 4

// Font sets the face [Drawer.Text] writes with: [LoadFont] gives one
// from a TrueType or OpenType file, and any golang.org/x/image/font.Face
// works. Without it, Text uses basicfont.Face7x13, a 7x13 bitmap font
// of ASCII (Pillow's ImageFont.load_default is a bitmap font too, of
// other glyphs). Shapes ignore it.
func Font(face font.Face) DrawOption {
	return func(o *drawOptions) { o.text.face = face }
}

// Text writes s with its top-left corner at (x, y), like Pillow's
// text((x, y), s, fill, font) with its default anchor "la": y is the
// top of the font's ascent, not the baseline. [Fill] sets the color
// (default white) and [Font] the face (default basicfont.Face7x13).
// Lines split at "\n" are written one under the other, 4 pixels apart
// as in Pillow's multiline_text. Glyphs are blended on the image with
// their anti-aliased coverage, as Pillow does; runes the face lacks are
// drawn as its missing-glyph box.
func (d *Drawer) Text(x, y int, s string, opts ...DrawOption) error {
	ink, o, err := d.lineInk("Text", opts)
	if err != nil {
		return err
	}
	face, unlock := useFace(o.text.face)
	defer unlock()
	var c color.Color = color.Gray{ink[0]}
	if len(ink) == 4 {
		c = color.NRGBA{ink[0], ink[1], ink[2], ink[3]}
	}
	dst, ok := d.m.img.(draw.Image)
	if !ok {
		return fmt.Errorf("flasky: Text: image of type %T is not drawable", d.m.img)
	}
	met := face.Metrics()
	step := met.Height.Ceil() + lineSpacing
	dr := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: face}
	for i, line := range strings.Split(s, "\n") {
		dr.Dot = fixed.Point26_6{X: fixed.I(x), Y: fixed.I(y+i*step) + met.Ascent}
		dr.DrawString(line)
	}
	return nil
}

// TextSize returns the width and height in pixels that [Drawer.Text]
// takes to write s with face (basicfont.Face7x13 if face is nil): the
// widest line's advance, and the lines' heights with the spacing
// between them. It helps to centre text.
func TextSize(face font.Face, s string) (w, h int) {
	face, unlock := useFace(face)
	defer unlock()
	met := face.Metrics()
	lines := strings.Split(s, "\n")
	for _, line := range lines {
		w = max(w, font.MeasureString(face, line).Ceil())
	}
	h = len(lines)*met.Height.Ceil() + (len(lines)-1)*lineSpacing
	return w, h
}

// LoadFont reads a TrueType or OpenType font (.ttf, .otf, or the first
// font of a .ttc/.otc collection) from path and returns a face of the
// given size in pixels, as Pillow's ImageFont.truetype(path, size) does;
// give it to [Font]. A Korean font such as Debian's fonts-nanum
// (/usr/share/fonts/truetype/nanum/NanumGothic.ttf) writes "홍길동".
// The face is safe for concurrent use: [Drawer.Text] holds it while it
// writes, so handlers can share one face loaded at start-up.
func LoadFont(path string, size float64) (font.Face, error) {
	if !(size > 0) {
		return nil, fmt.Errorf("flasky: LoadFont: size %v is not positive", size)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("flasky: LoadFont: %w", err)
	}
	coll, err := opentype.ParseCollection(b)
	if err != nil {
		return nil, fmt.Errorf("flasky: LoadFont: %s: %w", path, err)
	}
	f, err := coll.Font(0)
	if err != nil {
		return nil, fmt.Errorf("flasky: LoadFont: %s: %w", path, err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("flasky: LoadFont: %s: %w", path, err)
	}
	return &lockedFace{face: face}, nil
}

// useFace returns the face to draw with (basicfont.Face7x13 for nil),
// holding a loaded font's lock for the whole text rather than per glyph;
// call unlock when done.
func useFace(face font.Face) (f font.Face, unlock func()) {
	if face == nil {
		return basicfont.Face7x13, func() {}
	}
	if lf, ok := face.(*lockedFace); ok {
		lf.mu.Lock()
		return lf.face, lf.mu.Unlock
	}
	return face, func() {}
}

// lockedFace makes an opentype face, which reuses buffers between
// calls, safe for concurrent use. Text locks it for a whole string,
// since a glyph's mask is only good until the next call.
type lockedFace struct {
	mu   sync.Mutex
	face font.Face
}

func (f *lockedFace) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.face.Close()
}

func (f *lockedFace) Glyph(dot fixed.Point26_6, r rune) (image.Rectangle, image.Image, image.Point, fixed.Int26_6, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.face.Glyph(dot, r)
}

func (f *lockedFace) GlyphBounds(r rune) (fixed.Rectangle26_6, fixed.Int26_6, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.face.GlyphBounds(r)
}

func (f *lockedFace) GlyphAdvance(r rune) (fixed.Int26_6, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.face.GlyphAdvance(r)
}

func (f *lockedFace) Kern(r0, r1 rune) fixed.Int26_6 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.face.Kern(r0, r1)
}

func (f *lockedFace) Metrics() font.Metrics {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.face.Metrics()
}
