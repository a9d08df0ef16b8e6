package flasky_test

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"testing"

	"github.com/flasky-go/flasky"
	"golang.org/x/image/colornames"
)

func TestImageColours(t *testing.T) {
	for s, want := range map[string]color.NRGBA{
		"#f00":                 {255, 0, 0, 255},
		"#FFFF33":              {255, 255, 0x33, 255},
		"#ff000080":            {255, 0, 0, 0x80},
		"rgb(1, 2, 3)":         {1, 2, 3, 255},
		"rgba(1,2,3,4)":        {1, 2, 3, 4},
		"Red":                  {255, 0, 0, 255},
		"yellow":               {255, 255, 0, 255},
		"green":                {0, 0x80, 0, 255},
		" Navy ":               {0, 0, 0x80, 255},
		"lightgoldenrodyellow": {0xfa, 0xfa, 0xd2, 255},
	} {
		t.Run(s, func(t *testing.T) {
			got, err := flasky.ParseColor(s)
			if err != nil || got != want {
				t.Errorf("ParseColor(%q) = %v, %v; want %v", s, got, err, want)
			}
		})
	}
	for _, s := range []string{"", "#12", "#ggg", "rgb(1,2)", "rgb(1,2,300)", "redd", "#1234567"} {
		if _, err := flasky.ParseColor(s); err == nil || (s != "" && !strings.Contains(err.Error(), s)) {
			t.Errorf("ParseColor(%q): %v, want an error naming it", s, err)
		}
	}
	if _, err := flasky.NewImage("RGB", 2, 2, "nosuchcolour"); err == nil || !strings.Contains(err.Error(), "nosuchcolour") {
		t.Errorf("NewImage bad bg: %v", err)
	}
	if _, err := flasky.NewImage("RGB", 2, 2, "red", "blue"); err == nil || !strings.Contains(err.Error(), "2 background colors") {
		t.Errorf("NewImage with two backgrounds: %v, want an error saying so", err)
	}
	m, _ := flasky.NewImage("RGB", 2, 2)
	if err := flasky.Draw(m).Rectangle(0, 0, 1, 1, flasky.Fill("bluish")); err == nil || !strings.Contains(err.Error(), "bluish") {
		t.Errorf("bad fill: %v", err)
	}
	if err := flasky.Draw(m).Point([]int{0, 0}, flasky.Fill(color.RGBA{0, 0, 255, 255})); err != nil {
		t.Fatal(err)
	}
	if c := nrgba(m.At(0, 0)); c != (color.NRGBA{0, 0, 255, 255}) {
		t.Errorf("color.Color fill: %v", c)
	}
	for _, bad := range []func() (*flasky.Image, error){
		func() (*flasky.Image, error) { return flasky.NewImage("CMYK", 2, 2) },
		func() (*flasky.Image, error) { return flasky.NewImage("RGB", 0, 2) },
		func() (*flasky.Image, error) { return flasky.NewImage("RGB", 100000, 100000) },
	} {
		if _, err := bad(); err == nil {
			t.Error("no error")
		}
	}
	d := flasky.Draw(m)
	if d.Line([]int{1, 2, 3}) == nil || d.Point([]int{1}) == nil || d.Polygon([]int{1, 1}) == nil {
		t.Error("odd coordinates: no error")
	}
}

// FuzzParseColor feeds any string to ParseColor. It must never panic; a
// refused color is an error naming it; an accepted one comes back the
// same when written as #rrggbbaa and as rgba(r, g, b, a), matches its
// hex digits or its CSS name, and is the pixel a drawing with it leaves
// on an RGBA image.
func FuzzParseColor(f *testing.F) {
	for _, s := range []string{
		"#fff", "#FFF", "#f00a", "#ff0000", "#FF000080", "#000000ff", " #abc ", "\t#abcdef\n",
		"rgb(1,2,3)", "rgb( 1 , 2 , 3 )", "RGBA(1,2,3,4)", "rgba(255,255,255,255)", "rgb(001,002,003)",
		"red", "Red", " NAVY ", "lightgoldenrodyellow", "transparent", "none",
		"", " ", "#", "#f", "#ff", "#fffff", "#fffffff", "#fffffffff", "#ggg", "#-12", "#+12", "#0x1", "# fff",
		"rgb(", "rgb)", "rgb()", "rgba()", "rgb(1,2)", "rgb(1,2,3,4)", "rgba(1,2,3)", "rgb(256,0,0)", "rgb(-1,0,0)",
		"rgb(+1,0,0)", "rgb(1_0,0,0)", "rgb(0x1,0,0)", "rgb(1.5,0,0)", "rgb(1,2,3", "rgb 1,2,3)", "rgb(1,,3)",
		"rgb(99999999999999999999,0,0)", "hsl(0,100%,50%)", "#\xff\xfe\xfd", "\xff", "re\x00d", "blac\u212a",
		"\u0130", "#\u00e9\u00e9", strings.Repeat("#", 1000), strings.Repeat("rgb(", 100),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := flasky.ParseColor(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "flasky: ") || !strings.Contains(err.Error(), strconv.Quote(s)) {
				t.Fatalf("ParseColor(%q): error %q does not start with \"flasky: \" and name the color", s, err)
			}
			return
		}
		hex := fmt.Sprintf("#%02x%02x%02x%02x", c.R, c.G, c.B, c.A)
		fn := fmt.Sprintf("rgba(%d, %d, %d, %d)", c.R, c.G, c.B, c.A)
		for _, again := range []string{hex, strings.ToUpper(hex), fn} {
			if c2, err := flasky.ParseColor(again); err != nil || c2 != c {
				t.Fatalf("ParseColor(%q) = %v, but its form %q reads as %v, %v", s, c, again, c2, err)
			}
		}
		if c.A == 0xff {
			short := fmt.Sprintf("rgb(%d,%d,%d)", c.R, c.G, c.B)
			if c2, err := flasky.ParseColor(short); err != nil || c2 != c {
				t.Fatalf("ParseColor(%q) = %v, but %q reads as %v, %v", s, c, short, c2, err)
			}
		}
		t2 := strings.ToLower(strings.TrimSpace(s))
		if h, ok := strings.CutPrefix(t2, "#"); ok {
			if want, ok := hexColour(h); !ok || want != c {
				t.Fatalf("ParseColor(%q) = %v; its digits say %v (valid: %v)", s, c, want, ok)
			}
		} else if named, ok := colornames.Map[t2]; ok && color.NRGBA(named) != c {
			t.Fatalf("ParseColor(%q) = %v; the CSS name is %v", s, c, named)
		}
		m, err := flasky.NewImage("RGBA", 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := flasky.Draw(m).Point([]int{0, 0}, flasky.Fill(s)); err != nil {
			t.Fatalf("ParseColor(%q) = %v, but drawing with it fails: %v", s, c, err)
		}
		if got := color.NRGBAModel.Convert(m.At(0, 0)).(color.NRGBA); got != c {
			t.Fatalf("drawing with %q (%v) left %v", s, c, got)
		}
	})
}

// hexColour reads the digits of "#rgb", "#rgba", "#rrggbb" or
// "#rrggbbaa" (without '#') the slow way, as a second opinion.
func hexColour(h string) (color.NRGBA, bool) {
	digit := func(b byte) (uint8, bool) {
		switch {
		case b >= '0' && b <= '9':
			return b - '0', true
		case b >= 'a' && b <= 'f':
			return b - 'a' + 10, true
		}
		return 0, false
	}
	var v []uint8
	switch len(h) {
	case 3, 4:
		for i := range len(h) {
			d, ok := digit(h[i])
			if !ok {
				return color.NRGBA{}, false
			}
			v = append(v, d*17)
		}
	case 6, 8:
		for i := 0; i < len(h); i += 2 {
			hi, ok1 := digit(h[i])
			lo, ok2 := digit(h[i+1])
			if !ok1 || !ok2 {
				return color.NRGBA{}, false
			}
			v = append(v, hi<<4|lo)
		}
	default:
		return color.NRGBA{}, false
	}
	c := color.NRGBA{v[0], v[1], v[2], 0xff}
	if len(v) == 4 {
		c.A = v[3]
	}
	return c, true
}
