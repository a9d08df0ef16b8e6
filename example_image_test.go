package flasky_test

import (
	"fmt"
	"image/color"
	"net/http/httptest"

	"github.com/flasky-go/flasky"
)

// Slide 33's picture: a 220x190 black image with a yellow box and a red
// border. Both corners are inside the box, as in Pillow.
func ExampleNewImage() {
	im, err := flasky.NewImage("RGB", 220, 190)
	if err != nil {
		panic(err)
	}
	err = flasky.Draw(im).Rectangle(40, 40, 210, 180, flasky.Fill("#ffff33"), flasky.Outline("red"))
	if err != nil {
		panic(err)
	}
	fmt.Println(im.Mode(), im.Bounds().Dx(), im.Bounds().Dy())
	fmt.Println(im.At(39, 39), im.At(40, 40), im.At(210, 180), im.At(100, 100))
	// Output:
	// RGB 220 190
	// {0 0 0 255} {255 0 0 255} {255 0 0 255} {255 255 51 255}
}

// Shapes take Pillow's arguments as options; an unknown color is an
// error that names it.
func ExampleDraw() {
	im, _ := flasky.NewImage("L", 8, 4, "white")
	d := flasky.Draw(im)
	_ = d.Line([]int{0, 1, 7, 1}, flasky.Fill("black"))
	_ = d.Point([]int{3, 3}, flasky.Fill("gray"))
	for y := range 4 {
		for x := range 8 {
			fmt.Printf("%4d", im.At(x, y).(color.Gray).Y)
		}
		fmt.Println()
	}
	err := d.Ellipse(0, 0, 7, 3, flasky.Fill("bluish"))
	fmt.Println(err)
	// Output:
	// 255 255 255 255 255 255 255 255
	//    0   0   0   0   0   0   0   0
	//  255 255 255 255 255 255 255 255
	//  255 255 255 128 255 255 255 255
	// flasky: Ellipse: fill: unknown color "bluish" (want #rgb, #rrggbb, #rrggbbaa, rgb(r, g, b) or a CSS name)
}

// A view that draws slide 33's picture and sends it as a JPEG of
// quality 70, with an ETag: asking again with If-None-Match gets a 304.
func ExampleCtx_SendImage() {
	app := flasky.New()
	app.Route("/get_image2", func(c *flasky.Ctx) error {
		im, _ := flasky.NewImage("RGB", 220, 190)
		_ = flasky.Draw(im).Rectangle(40, 40, 210, 180, flasky.Fill("#ffff33"), flasky.Outline("red"))
		return c.SendImage(im, flasky.JPEG(70))
	})
	w := httptest.NewRecorder()
	app.ServeHTTP(w, httptest.NewRequest("GET", "/get_image2", nil))
	fmt.Println(w.Code, w.Header().Get("Content-Type"), w.Body.Bytes()[:2])

	r := httptest.NewRequest("GET", "/get_image2", nil)
	r.Header.Set("If-None-Match", w.Header().Get("ETag"))
	w = httptest.NewRecorder()
	app.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Body.Len())
	// Output:
	// 200 image/jpeg [255 216]
	// 304 0
}
