package flasky_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

func slide33(t testing.TB) *flasky.Image {
	t.Helper()
	m, err := flasky.NewImage("RGB", 220, 190)
	if err != nil {
		t.Fatal(err)
	}
	if err := flasky.Draw(m).Rectangle(40, 40, 210, 180, flasky.Fill("#ffff33"), flasky.Outline("red")); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSendImage(t *testing.T) {
	app, _ := newTestApp()
	app.Route("/img.<any(jpg,png,gif):ext>", func(c *flasky.Ctx) error {
		f := map[string]flasky.ImageFormat{"jpg": flasky.JPEG(70), "png": flasky.PNG(), "gif": flasky.GIF()}[c.Param("ext")]
		return c.SendImage(slide33(t), f)
	})
	for ext, ct := range map[string]string{"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif"} {
		w := get(app, "/img."+ext)
		if w.Code != 200 || w.Header().Get("Content-Type") != ct {
			t.Fatalf("%s: %d %q, want 200 %q", ext, w.Code, w.Header().Get("Content-Type"), ct)
		}
		img, format, err := flasky.DecodeImage(bytes.NewReader(w.Body.Bytes()))
		if err != nil || img.Bounds() != image.Rect(0, 0, 220, 190) {
			t.Fatalf("%s: decode: %v %v", ext, err, img)
		}
		if want := map[string]string{"jpg": "jpeg"}[ext]; want != "" && format != want {
			t.Errorf("format %q", format)
		}
		etag := w.Header().Get("ETag")
		if etag != flasky.ImageETag(w.Body.Bytes()) {
			t.Errorf("%s: ETag %q, want the hash of the body", ext, etag)
		}
		w2 := serve(app, "GET", "/img."+ext, nil, "If-None-Match", etag)
		if w2.Code != http.StatusNotModified || w2.Body.Len() != 0 {
			t.Errorf("%s: If-None-Match: %d with %d bytes, want 304 without a body", ext, w2.Code, w2.Body.Len())
		}
	}
	// PNG is lossless: the decoded picture is the drawn one.
	w := get(app, "/img.png")
	img, _ := png.Decode(w.Body)
	if c := nrgba(img.At(40, 40)); c != (color.NRGBA{255, 0, 0, 255}) {
		t.Errorf("corner %v, want red", c)
	}
	if c := nrgba(img.At(100, 100)); c != (color.NRGBA{255, 255, 0x33, 255}) {
		t.Errorf("inside %v, want #ffff33", c)
	}
}

func TestEncodeImageJPEGQuality(t *testing.T) {
	m := slide33(t)
	var def, q75, q10 bytes.Buffer
	for _, c := range []struct {
		b *bytes.Buffer
		f flasky.ImageFormat
	}{{&def, flasky.JPEG(0)}, {&q75, flasky.JPEG(75)}, {&q10, flasky.JPEG(10)}} {
		if err := flasky.EncodeImage(c.b, m, c.f); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(def.Bytes(), q75.Bytes()) {
		t.Error("JPEG(0) is not quality 75")
	}
	if q10.Len() >= q75.Len() {
		t.Errorf("quality 10: %d bytes, not fewer than quality 75's %d", q10.Len(), q75.Len())
	}
	if err := flasky.EncodeImage(&def, m, flasky.JPEG(101)); err == nil {
		t.Error("quality 101: no error")
	}
	if err := flasky.EncodeImage(&def, m, flasky.ImageFormat{}); err == nil {
		t.Error("zero format: no error")
	}
}

// bombPNG is a valid PNG header claiming w x h pixels, with no pixels.
func bombPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestDecodeImageLimits(t *testing.T) {
	_, _, err := flasky.DecodeImage(bytes.NewReader(bombPNG(100000, 100000)))
	if err == nil || !strings.Contains(err.Error(), "100000x100000") {
		t.Errorf("bomb: %v, want an error naming the size", err)
	}
	var j bytes.Buffer
	if err := jpeg.Encode(&j, slide33(t).Image(), nil); err != nil {
		t.Fatal(err)
	}
	corrupt := append([]byte(nil), j.Bytes()[:j.Len()/2]...)
	for i := 600; i < len(corrupt); i += 7 {
		corrupt[i] ^= 0x5a
	}
	if _, _, err := flasky.DecodeImage(bytes.NewReader(corrupt)); err == nil {
		t.Error("corrupt JPEG: no error")
	}
	if _, _, err := flasky.DecodeImage(strings.NewReader("not an image")); err == nil {
		t.Error("text: no error")
	}
	img, format, err := flasky.DecodeImage(bytes.NewReader(j.Bytes()))
	if err != nil || format != "jpeg" || img.Bounds().Dx() != 220 {
		t.Errorf("JPEG: %v %q %v", img.Bounds(), format, err)
	}
}
