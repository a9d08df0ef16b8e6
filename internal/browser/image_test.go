package browser

import (
	"encoding/json"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// decoded is what the browser made of a picture: its natural size and
// the color of some pixels, read back through a canvas.
type decoded struct {
	Width  int        `json:"w"`
	Height int        `json:"h"`
	Pixels [][3]uint8 `json:"px"`
}

// decodeScript loads src in a new Image and, once it has decoded, draws
// it on a canvas to read the pixels at points ([[x, y], ...]). A picture
// the browser cannot decode rejects the promise, naming src.
const decodeScript = `new Promise((resolve, reject) => {
	const img = new Image();
	img.onload = () => {
		const c = document.createElement("canvas");
		c.width = img.naturalWidth;
		c.height = img.naturalHeight;
		const g = c.getContext("2d");
		g.drawImage(img, 0, 0);
		resolve({w: img.naturalWidth, h: img.naturalHeight,
			px: %s.map(([x, y]) => [...g.getImageData(x, y, 1, 1).data.slice(0, 3)])});
	};
	img.onerror = () => reject(new Error("the browser could not decode " + %[2]s));
	img.src = %[2]s;
})`

// point is a pixel to read and the color it must have, within JPEG's
// error.
type point struct {
	x, y int
	rgb  [3]uint8
	what string
}

// TestImageInBrowser opens the pictures of examples/image (slides 32 and
// 33) the way a person does, by their URL, and checks in the browser that
// each decoded at its size: slide 33's drawing at 220x190 with a yellow
// box, slide 32's 11.jpg (sent typed image/gif, as on the slide) and a
// badge drawn from the query.
func TestImageInBrowser(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	base := startExample(t, "image")
	ctx := newBrowser(t, chromium)

	f, err := os.Open(filepath.Join("..", "..", "examples", "image", "11.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	photo, err := jpeg.DecodeConfig(f)
	f.Close()
	if err != nil {
		t.Fatalf("11.jpg: %v", err)
	}

	yellow, black := [3]uint8{0xff, 0xff, 0x33}, [3]uint8{0, 0, 0}
	tests := []struct {
		path   string
		w, h   int
		points []point
	}{
		{"/get_image2", 220, 190, []point{
			{125, 110, yellow, "inside the box"},
			{10, 10, black, "outside the box"},
		}},
		{"/get_image", photo.Width, photo.Height, nil},
		{"/badge?n=2&color=teal", 68, 40, []point{
			{20, 20, [3]uint8{0, 0x80, 0x80}, "in the first square"},
			{3, 3, [3]uint8{0xff, 0xff, 0xff}, "the white ground"},
		}},
	}
	for _, tt := range tests {
		t.Run(strings.TrimPrefix(tt.path, "/"), func(t *testing.T) {
			resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+tt.path))
			if err != nil {
				t.Fatalf("opening %s: %v", tt.path, err)
			}
			if resp.Status != 200 {
				t.Errorf("%s: status %d, want 200", tt.path, resp.Status)
			}
			// The page Chromium makes for a picture holds it in one <img>.
			shown, err := chromedp.Run(ctx, chromedp.Evaluate[[2]int](
				`[document.images[0].naturalWidth, document.images[0].naturalHeight]`))
			if err != nil {
				t.Fatalf("%s: reading the shown picture: %v", tt.path, err)
			}

			at := [][2]int{}
			for _, p := range tt.points {
				at = append(at, [2]int{p.x, p.y})
			}
			js := fmt.Sprintf(decodeScript, jsonText(t, at), jsonText(t, tt.path))
			got, err := chromedp.Run(ctx, chromedp.Evaluate[decoded](js, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("%s: decoding in the browser: %v", tt.path, err)
			}
			t.Logf("opened %s: %d %s; the page shows it at %dx%d, a new Image decodes it at %dx%d, pixels %v",
				tt.path, resp.Status, resp.MimeType, shown[0], shown[1], got.Width, got.Height, got.Pixels)

			if shown != [2]int{tt.w, tt.h} || got.Width != tt.w || got.Height != tt.h {
				t.Errorf("%s: shown at %dx%d, decoded at %dx%d, want %dx%d",
					tt.path, shown[0], shown[1], got.Width, got.Height, tt.w, tt.h)
			}
			if len(got.Pixels) != len(tt.points) {
				t.Fatalf("%s: read %d pixels, want %d", tt.path, len(got.Pixels), len(tt.points))
			}
			for i, p := range tt.points {
				if !near(got.Pixels[i], p.rgb, 24) {
					t.Errorf("%s: pixel (%d, %d) %s is %v, want %v", tt.path, p.x, p.y, p.what, got.Pixels[i], p.rgb)
				}
			}
		})
	}
}

// jsonText writes v as JSON, which is also a JavaScript literal.
func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// near reports whether two colors differ by at most tol in each channel.
func near(a, b [3]uint8, tol int) bool {
	for i := range a {
		if d := int(a[i]) - int(b[i]); d > tol || d < -tol {
			return false
		}
	}
	return true
}
