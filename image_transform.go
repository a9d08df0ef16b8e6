// Pillow's geometric transforms, on golang.org/x/image/draw.

package flasky

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"

	xdraw "golang.org/x/image/draw"
)

// Crop returns the part of img in the box from (x0, y0) to (x1, y1), the
// right and bottom edges excluded, like Pillow's im.crop((x0, y0, x1,
// y1)): Crop(img, 0, 0, 10, 10) is 10x10. Coordinates are relative to
// img's top-left corner; parts of the box outside img are black
// (transparent for "RGBA"), as in Pillow. An empty box, or one given the
// wrong way round, is an error. The result is a new [Image] of img's
// mode (see [Resize] for how a plain image.Image gets one).
func Crop(img image.Image, x0, y0, x1, y1 int) (*Image, error) {
	if x1 <= x0 || y1 <= y0 {
		return nil, fmt.Errorf("flasky: Crop: box (%d, %d, %d, %d) is empty or inverted", x0, y0, x1, y1)
	}
	m, err := NewImage(modeOf(img), x1-x0, y1-y0)
	if err != nil {
		return nil, fmt.Errorf("flasky: Crop: %w", err)
	}
	b := img.Bounds()
	src := image.Rect(x0, y0, x1, y1).Add(b.Min)
	xdraw.Draw(m.img.(xdraw.Image), src.Sub(src.Min), plain(img), src.Min, xdraw.Src)
	return m, nil
}

// Resize returns img scaled to w x h pixels, like Pillow's
// im.resize((w, h)), with Catmull-Rom (bicubic) resampling, the
// counterpart of Pillow's default BICUBIC filter, from
// golang.org/x/image/draw. The aspect ratio is not kept: see
// [Thumbnail]. A size that is not positive is an error. The result is a
// new [Image]: of img's mode if img is an *Image, else "L" for
// *image.Gray, "RGB" for an opaque image and "RGBA" otherwise.
func Resize(img image.Image, w, h int) (*Image, error) {
	m, err := NewImage(modeOf(img), w, h)
	if err != nil {
		return nil, fmt.Errorf("flasky: Resize: %w", err)
	}
	if img.Bounds().Empty() {
		return nil, errors.New("flasky: Resize: source image is empty")
	}
	xdraw.CatmullRom.Scale(m.img.(xdraw.Image), m.img.Bounds(), plain(img), img.Bounds(), xdraw.Src, nil)
	return m, nil
}

// Thumbnail returns img scaled down to fit in maxW x maxH pixels,
// keeping its aspect ratio, like Pillow's im.thumbnail((maxW, maxH)):
// the size is rounded as Pillow rounds it (a 640x480 photo in 128x128
// gives 128x96), no side is less than 1, and an image that already fits
// is never enlarged (it is copied as it is). It resamples with
// Catmull-Rom, as [Resize] does. A bound that is not positive is an
// error. Unlike Pillow's, which changes im, it returns a new [Image].
func Thumbnail(img image.Image, maxW, maxH int) (*Image, error) {
	if maxW <= 0 || maxH <= 0 {
		return nil, fmt.Errorf("flasky: Thumbnail: size %dx%d is not positive", maxW, maxH)
	}
	b := img.Bounds()
	if b.Empty() {
		return nil, errors.New("flasky: Thumbnail: source image is empty")
	}
	w, h := thumbnailSize(b.Dx(), b.Dy(), maxW, maxH)
	if w == b.Dx() && h == b.Dy() {
		m, err := Crop(img, 0, 0, w, h)
		if err != nil {
			return nil, fmt.Errorf("flasky: Thumbnail: %w", err)
		}
		return m, nil
	}
	m, err := Resize(img, w, h)
	if err != nil {
		return nil, fmt.Errorf("flasky: Thumbnail: %w", err)
	}
	return m, nil
}

// thumbnailSize is the size Pillow's thumbnail gives a w x h image
// bounded by x x y: the side that limits is kept, the other is rounded
// down or up, whichever keeps the aspect ratio best (down on a tie), and
// at least 1.
func thumbnailSize(w, h, x, y int) (int, int) {
	if x >= w && y >= h {
		return w, h
	}
	aspect := float64(w) / float64(h)
	pick := func(n float64, cost func(float64) float64) int {
		lo, hi := math.Floor(n), math.Ceil(n)
		r := lo
		if cost(hi) < cost(lo) {
			r = hi
		}
		return max(int(r), 1)
	}
	fx, fy := float64(x), float64(y)
	if fx/fy >= aspect {
		x = pick(fy*aspect, func(n float64) float64 { return math.Abs(aspect - n/fy) })
	} else {
		y = pick(fx/aspect, func(n float64) float64 {
			if n == 0 {
				return 0
			}
			return math.Abs(aspect - fx/n)
		})
	}
	return x, y
}

// modeOf is the mode a copy of img gets: its own for an *Image, "L" for
// a grey image, "RGB" for an opaque one, else "RGBA".
func modeOf(img image.Image) string {
	switch i := img.(type) {
	case *Image:
		return i.mode
	case *image.Gray:
		return "L"
	case interface{ Opaque() bool }:
		if i.Opaque() {
			return "RGB"
		}
		return "RGBA"
	}
	if img.ColorModel() == color.GrayModel {
		return "L"
	}
	return "RGBA"
}
