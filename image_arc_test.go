package flasky_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
)

// extraCase is one case of testdata/pillow/cases_extra.json, drawn by
// testdata/pillow/gen.py with Pillow into NAME.png.
type extraCase struct {
	Name string `json:"name"`
	Mode string `json:"mode"`
	Size [2]int `json:"size"`
	BG   any    `json:"bg"`
	Ops  []struct {
		Op    string    `json:"op"`
		XY    []float64 `json:"xy"`
		Start float64   `json:"start"`
		End   float64   `json:"end"`
		Fill  any       `json:"fill"`
		Width *int      `json:"width"`
	} `json:"ops"`
}

// pillowColor turns a JSON color (a string, or a number for mode "L")
// into something flasky takes.
func pillowColor(v any) any {
	if f, ok := v.(float64); ok {
		return fmt.Sprintf("rgb(%d, %d, %d)", int(f), int(f), int(f))
	}
	return v
}

// TestPillowArcParity draws the arcs of testdata/pillow/cases_extra.json
// and compares them with the PNGs Pillow drew: at most 1% of the edge
// pixels may differ.
func TestPillowArcParity(t *testing.T) {
	var cases []extraCase
	readPillowCases(t, "cases_extra.json", &cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			want := readPillowPNG(t, c.Name)
			mode := c.Mode
			if mode == "" {
				mode = "RGB"
			}
			var bg []any
			if c.BG != nil {
				bg = append(bg, pillowColor(c.BG))
			}
			m, err := flasky.NewImage(mode, c.Size[0], c.Size[1], bg...)
			if err != nil {
				t.Fatal(err)
			}
			d := flasky.Draw(m)
			for _, op := range c.Ops {
				var opts []flasky.DrawOption
				if op.Fill != nil {
					opts = append(opts, flasky.Fill(pillowColor(op.Fill)))
				}
				if op.Width != nil {
					opts = append(opts, flasky.Width(*op.Width))
				}
				if op.Op != "arc" {
					t.Fatalf("unknown op %q", op.Op)
				}
				xy := op.XY
				if err := d.Arc(xy[0], xy[1], xy[2], xy[3], op.Start, op.End, opts...); err != nil {
					t.Fatal(err)
				}
			}
			compareEdges(t, m, want, 1)
		})
	}
}

func TestArcErrorsAndEmpty(t *testing.T) {
	m, _ := flasky.NewImage("RGB", 10, 10)
	d := flasky.Draw(m)
	if err := d.Arc(0, 0, 9, 9, 0, 90, flasky.Fill("nocolour")); err == nil || !strings.Contains(err.Error(), "nocolour") {
		t.Errorf("unknown color: %v", err)
	}
	for _, a := range [][6]float64{{5, 5, 2, 9, 0, 90}, {0, 0, 9, 9, 30, 30}} {
		if err := d.Arc(a[0], a[1], a[2], a[3], a[4], a[5]); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Arc(0, 0, 9, 9, 0, 90, flasky.Width(0)); err != nil {
		t.Fatal(err)
	}
	r := m.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c := nrgba(m.At(x, y)); c.R|c.G|c.B != 0 {
				t.Fatalf("pixel (%d,%d) drawn: %v", x, y, c)
			}
		}
	}
}

func ExampleDrawer_Arc() {
	im, err := flasky.NewImage("RGB", 100, 100)
	if err != nil {
		panic(err)
	}
	// Like ImageDraw.Draw(im).arc((10, 10, 89, 89), 0, 90, fill="red", width=3):
	// the lower-right quarter, clockwise from 3 o'clock.
	if err := flasky.Draw(im).Arc(10, 10, 89, 89, 0, 90, flasky.Fill("red"), flasky.Width(3)); err != nil {
		panic(err)
	}
	fmt.Println(im.At(89, 50), im.At(10, 50))
	// Output: {255 0 0 255} {0 0 0 255}
}
