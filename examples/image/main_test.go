package main

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

func get(t *testing.T, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	newApp().ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	return w
}

// TestGetImage: slide 32 sends 11.jpg byte for byte, typed image/gif as
// the slide does.
func TestGetImage(t *testing.T) {
	want, err := os.ReadFile("11.jpg")
	if err != nil {
		t.Fatal(err)
	}
	w := get(t, "/get_image")
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/gif" {
		t.Fatalf("%d %q, want 200 image/gif", w.Code, w.Header().Get("Content-Type"))
	}
	if !bytes.Equal(w.Body.Bytes(), want) {
		t.Error("body is not 11.jpg")
	}
	if _, err := jpeg.Decode(bytes.NewReader(want)); err != nil {
		t.Errorf("11.jpg: %v", err)
	}
}

// TestGetImage2: slide 33's picture, a JPEG at quality 70, decodes to
// what Pillow's JPEG of the slide's code decodes to, within JPEG's error
// (PSNR >= 30 dB against testdata/pillow/slide33_q70.jpg).
func TestGetImage2(t *testing.T) {
	w := get(t, "/get_image2")
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/jpeg" || w.Header().Get("ETag") == "" {
		t.Fatalf("%d %q ETag %q", w.Code, w.Header().Get("Content-Type"), w.Header().Get("ETag"))
	}
	img, err := jpeg.Decode(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds() != image.Rect(0, 0, 220, 190) {
		t.Fatalf("bounds %v", img.Bounds())
	}
	f, err := os.Open("../../testdata/pillow/slide33_q70.jpg")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ref, err := jpeg.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	var se float64
	for y := range 190 {
		for x := range 220 {
			r, g, b, _ := img.At(x, y).RGBA()
			wr, wg, wb, _ := ref.At(x, y).RGBA()
			for i, v := range []uint32{r >> 8, g >> 8, b >> 8} {
				d := float64(v) - float64([]uint32{wr >> 8, wg >> 8, wb >> 8}[i])
				se += d * d
			}
		}
	}
	psnr := 10 * math.Log10(255*255/(se/(220*190*3)))
	if psnr < 30 {
		t.Errorf("PSNR %.1f dB against Pillow's JPEG, want >= 30", psnr)
	}
}

func TestBadge(t *testing.T) {
	w := get(t, "/badge?n=2&color=%23ff0000")
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("%d %q", w.Code, w.Header().Get("Content-Type"))
	}
	img, err := png.Decode(w.Body)
	if err != nil || img.Bounds().Dx() != 68 {
		t.Fatalf("%v %v", err, img)
	}
	if r, g, b, _ := img.At(15, 15).RGBA(); r>>8 != 255 || g != 0 || b != 0 {
		t.Errorf("square color %d %d %d", r>>8, g>>8, b>>8)
	}
	for _, q := range []string{"/badge?color=bluish", "/badge?n=99", "/badge?n=x"} {
		t.Run(strings.TrimPrefix(q, "/badge?"), func(t *testing.T) {
			if w := get(t, q); w.Code != 400 {
				t.Errorf("%s: %d, want 400", q, w.Code)
			}
		})
	}
}
