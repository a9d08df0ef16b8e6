package flasky_test

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// pillowCase is one case of testdata/pillow/cases.json, drawn by
// testdata/pillow/gen.py with Pillow into NAME.png.
type pillowCase struct {
	Name string `json:"name"`
	Mode string `json:"mode"`
	Size [2]int `json:"size"`
	BG   any    `json:"bg"`
	Ops  []struct {
		Op      string `json:"op"`
		XY      []int  `json:"xy"`
		Fill    any    `json:"fill"`
		Outline any    `json:"outline"`
		Width   *int   `json:"width"`
	} `json:"ops"`
}

// drawPillowCase draws c with flasky.
func drawPillowCase(t *testing.T, c pillowCase) *flasky.Image {
	t.Helper()
	mode := c.Mode
	if mode == "" {
		mode = "RGB"
	}
	var bg []any
	if c.BG != nil {
		bg = append(bg, c.BG)
	}
	m, err := flasky.NewImage(mode, c.Size[0], c.Size[1], bg...)
	if err != nil {
		t.Fatal(err)
	}
	d := flasky.Draw(m)
	for _, op := range c.Ops {
		var opts []flasky.DrawOption
		if op.Fill != nil {
			opts = append(opts, flasky.Fill(op.Fill))
		}
		if op.Outline != nil {
			opts = append(opts, flasky.Outline(op.Outline))
		}
		if op.Width != nil {
			opts = append(opts, flasky.Width(*op.Width))
		}
		xy := op.XY
		switch op.Op {
		case "rectangle":
			err = d.Rectangle(xy[0], xy[1], xy[2], xy[3], opts...)
		case "ellipse":
			err = d.Ellipse(xy[0], xy[1], xy[2], xy[3], opts...)
		case "line":
			err = d.Line(xy, opts...)
		case "point":
			err = d.Point(xy, opts...)
		case "polygon":
			err = d.Polygon(xy, opts...)
		default:
			t.Fatalf("%s: unknown op %q", c.Name, op.Op)
		}
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
	}
	return m
}

// nrgba reads a pixel as 8-bit non-premultiplied RGBA.
func nrgba(c color.Color) color.NRGBA { return color.NRGBAModel.Convert(c).(color.NRGBA) }

// TestPillowParity draws every case of testdata/pillow/cases.json and
// compares it with the PNG Pillow drew: rectangles, lines, points and
// polygons pixel for pixel; ellipses may differ on 1% of their edge
// pixels.
func TestPillowParity(t *testing.T) {
	var cases []pillowCase
	readPillowCases(t, "cases.json", &cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			want := readPillowPNG(t, c.Name)
			got := drawPillowCase(t, c)
			if got.Bounds() != want.Bounds() {
				t.Fatalf("bounds %v, want %v", got.Bounds(), want.Bounds())
			}
			diff, edge := 0, 0
			var first []string
			r := want.Bounds()
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					w := nrgba(want.At(x, y))
					if isEdge(want, x, y) {
						edge++
					}
					if g := nrgba(got.At(x, y)); g != w {
						diff++
						if len(first) < 5 {
							first = append(first, fmt.Sprintf("(%d,%d) %v want %v", x, y, g, w))
						}
					}
				}
			}
			if strings.HasPrefix(c.Name, "ellipse") {
				if diff*100 > edge {
					t.Errorf("%d pixels differ, more than 1%% of %d edge pixels: %s", diff, edge, strings.Join(first, "; "))
				} else if diff > 0 {
					t.Logf("%d of %d edge pixels differ", diff, edge)
				}
				return
			}
			if diff > 0 {
				t.Errorf("%d pixels differ: %s", diff, strings.Join(first, "; "))
			}
		})
	}
}

// isEdge reports whether the pixel at (x, y) differs from a neighbour.
func isEdge(m image.Image, x, y int) bool {
	c := nrgba(m.At(x, y))
	r := m.Bounds()
	for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
		p := image.Pt(x+d[0], y+d[1])
		if p.In(r) && nrgba(m.At(p.X, p.Y)) != c {
			return true
		}
	}
	return false
}

// readPillowCases decodes testdata/pillow/NAME, the cases gen.py drew.
func readPillowCases(t *testing.T, name string, cases any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "pillow", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, cases); err != nil {
		t.Fatal(err)
	}
}

// readPillowPNG decodes the reference image Pillow drew for a case.
func readPillowPNG(t *testing.T, name string) image.Image {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "pillow", name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return want
}
