package flasky_test

import (
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
			if strings.HasPrefix(c.Name, "ellipse") {
				compareEdges(t, got, want, 1)
			} else {
				compareEdges(t, got, want, 0)
			}
		})
	}
}
