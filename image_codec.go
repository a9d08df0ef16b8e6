// DecodeImage calls each format's decoder itself and registers none in
// the image package, so importing flasky does not change image.Decode.

package flasky

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/flasky-go/flasky/internal/imgformat"
	"github.com/flasky-go/flasky/internal/jpegenc"
)

// ImageFormat is how [EncodeImage] and [Ctx.SendImage] write an image:
// [JPEG] with a quality, [PNG] or [GIF].
type ImageFormat struct {
	name    string
	quality int
}

// JPEG is the JPEG format at the given quality, 1 (smallest) to 100
// (best); 0 is 75, Pillow's default for im.save(f, "JPEG"). Encoding at
// any other quality is an error.
func JPEG(quality int) ImageFormat {
	if quality == 0 {
		quality = 75
	}
	return ImageFormat{name: "jpeg", quality: quality}
}

// PNG is the lossless PNG format.
func PNG() ImageFormat { return ImageFormat{name: "png"} }

// GIF is the GIF format: 256 colors at most (Plan 9's palette with
// Floyd-Steinberg dithering for pictures with more).
func GIF() ImageFormat { return ImageFormat{name: "gif"} }

// String returns the format's name: "jpeg", "png" or "gif".
func (f ImageFormat) String() string { return f.name }

// ContentType returns the format's media type, such as "image/jpeg".
func (f ImageFormat) ContentType() string {
	if f.name == "" {
		return ""
	}
	return "image/" + f.name
}

// plain unwraps a flasky Image, so the encoders take their fast paths.
func plain(img image.Image) image.Image {
	if m, ok := img.(*Image); ok {
		return m.img
	}
	return img
}

// EncodeImage writes img to w in format f, like Pillow's
// im.save(w, format, quality=q).
func EncodeImage(w io.Writer, img image.Image, f ImageFormat) error {
	if img == nil {
		return errors.New("flasky: EncodeImage: nil image")
	}
	img = plain(img)
	switch f.name {
	case "jpeg":
		if f.quality < 1 || f.quality > 100 {
			return fmt.Errorf("flasky: EncodeImage: JPEG quality %d is not within 1..100", f.quality)
		}
		switch img.(type) {
		case *image.RGBA, *image.Gray, *image.YCbCr, *image.NRGBA:
			if !img.Bounds().Empty() { // our faster baseline encoder
				return jpegenc.Encode(w, img, f.quality)
			}
		}
		return jpeg.Encode(w, img, &jpeg.Options{Quality: f.quality})
	case "png":
		return png.Encode(w, img)
	case "gif":
		return gif.Encode(w, img, nil)
	default:
		return errors.New("flasky: EncodeImage: no format (use flasky.JPEG(0), PNG() or GIF())")
	}
}

// ImageETag returns a strong ETag for encoded image bytes: a hash of
// them, quoted, so the same picture always has the same tag and any
// change gives a new one.
func ImageETag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// SendImage encodes img in format f and sends it with the format's
// Content-Type (image/jpeg, image/png, image/gif), like a Flask view that
// saves a Pillow image into a BytesIO and returns send_file(buf,
// mimetype=...). The response carries an ETag made from the encoded bytes
// ([ImageETag]) and Cache-Control: no-cache, so a browser asking again
// with If-None-Match gets a 304 without a body when the picture has not
// changed. Ranges and HEAD are answered as by [Ctx.SendReader]. Options
// such as [MaxAge] or [AsAttachment] work as for files; [Mimetype]
// overrides the type.
//
//	m, _ := flasky.NewImage("RGB", 220, 190)
//	flasky.Draw(m).Rectangle(40, 40, 210, 180, flasky.Fill("#ffff33"), flasky.Outline("red"))
//	return c.SendImage(m, flasky.JPEG(70))
func (c *Ctx) SendImage(img image.Image, f ImageFormat, opts ...FileOption) error {
	var buf bytes.Buffer
	if err := EncodeImage(&buf, img, f); err != nil {
		return fmt.Errorf("flasky: SendImage: %w", err)
	}
	b := buf.Bytes()
	c.rw.Header().Set("ETag", ImageETag(b))
	all := make([]FileOption, 0, len(opts)+1)
	all = append(all, Mimetype(f.ContentType()))
	all = append(all, opts...)
	return c.SendReader(bytes.NewReader(b), all...)
}

// DecodeImage reads a JPEG, PNG, GIF, BMP, TIFF or WebP image, such as
// an upload, like Pillow's Image.open(f).load(). It reads the header
// first and refuses a picture of more than [MaxImagePixels] pixels before
// decoding it, so a small file that claims 100000x100000 pixels (a
// decompression bomb) is an error, not an out-of-memory crash; a corrupt
// file is an error too. It returns the image and its format's name
// ("jpeg", "png", "gif", "bmp", "tiff", "webp").
//
// DecodeImage recognizes these formats by their first bytes and calls
// their decoders itself: importing flasky registers no decoder in the
// image package, so image.Decode in the same program reads BMP, TIFF and
// WebP only if the program imports a decoder for them. A format the
// program registered with image.RegisterFormat is read too, through
// image.Decode.
func DecodeImage(r io.Reader) (image.Image, string, error) {
	var sniff [16]byte
	n, err := io.ReadFull(r, sniff[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, "", fmt.Errorf("flasky: DecodeImage: %w", err)
	}
	r = io.MultiReader(bytes.NewReader(sniff[:n]), r)
	c := codecFor(sniff[:n])

	var head bytes.Buffer
	cfg, format, err := c.configSafely(io.TeeReader(r, &head))
	if err != nil {
		return nil, format, fmt.Errorf("flasky: DecodeImage: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, format, fmt.Errorf("flasky: DecodeImage: %s image of %dx%d pixels", format, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(MaxImagePixels) {
		return nil, format, fmt.Errorf("flasky: DecodeImage: %s image of %dx%d pixels is more than the limit of %d (a decompression bomb?)",
			format, cfg.Width, cfg.Height, MaxImagePixels)
	}
	img, format, err := c.decodeSafely(io.MultiReader(&head, r))
	if err != nil {
		return nil, format, fmt.Errorf("flasky: DecodeImage: %w", err)
	}
	return img, format, nil
}

// codec is one format's pair of decoders; a zero codec is image.Decode
// with whatever formats the program registered.
type codec struct {
	name   string
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// codecFor picks the decoder for a file's first bytes.
func codecFor(b []byte) codec {
	has := func(sig string) bool { return bytes.HasPrefix(b, []byte(sig)) }
	switch {
	case has("\x89PNG\r\n\x1a\n"):
		return codec{"png", png.DecodeConfig, png.Decode}
	case has("\xff\xd8"):
		return codec{"jpeg", jpeg.DecodeConfig, jpeg.Decode}
	case has("GIF87a"), has("GIF89a"):
		return codec{"gif", gif.DecodeConfig, gif.Decode}
	case has("BM"):
		return codec{"bmp", imgformat.DecodeBMPConfig, imgformat.DecodeBMP}
	case has("II*\x00"), has("MM\x00*"):
		return codec{"tiff", imgformat.DecodeTIFFConfig, imgformat.DecodeTIFF}
	case has("RIFF") && len(b) >= 12 && string(b[8:12]) == "WEBP":
		return codec{"webp", imgformat.DecodeWebPConfig, imgformat.DecodeWebP}
	}
	return codec{}
}

// safely reads the header with the codec, with a decoder's panic on a
// corrupt file turned into an error.
func (c codec) configSafely(r io.Reader) (cfg image.Config, format string, err error) {
	format = c.name
	defer func() {
		if v := recover(); v != nil {
			cfg, err = image.Config{}, fmt.Errorf("corrupt image: %v", v)
		}
	}()
	if c.config == nil {
		return image.DecodeConfig(r)
	}
	cfg, err = c.config(r)
	return cfg, format, err
}

// decodeSafely decodes with the codec, with a decoder's panic on a
// corrupt file turned into an error.
func (c codec) decodeSafely(r io.Reader) (img image.Image, format string, err error) {
	format = c.name
	defer func() {
		if v := recover(); v != nil {
			img, err = nil, fmt.Errorf("corrupt image: %v", v)
		}
	}()
	if c.decode == nil {
		return image.Decode(r)
	}
	img, err = c.decode(r)
	if err != nil {
		img = nil
	}
	return img, format, err
}
