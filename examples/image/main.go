// Command image is slides 32 and 33: /get_image sends the picture
// 11.jpg with send_file, /get_image2 draws a yellow box with a red
// border with Pillow and sends it as a JPEG, and /badge draws a picture
// from query values.
//
//	go run ./examples/image                  # http://0.0.0.0:8080/get_image2
//	go run ./examples/image -addr 127.0.0.1:8081
package main

import (
	"fmt"

	"github.com/flasky-go/flasky"
)

// newApp builds the app, so the test serves the same routes as main.
func newApp() *flasky.App {
	app := flasky.New()

	// Slide 32: send_file("11.jpg", mimetype="image/gif"). The slide's
	// type is wrong: 11.jpg is a JPEG, whose type is image/jpeg (what
	// SendFile would send without Mimetype). Browsers look at the bytes
	// and show it anyway, but a client that trusts the header (a GIF
	// decoder, a cache, a download's file name) is misled. Kept as the
	// slide has it; drop the option to send the right type.
	app.Route("/get_image", func(c *flasky.Ctx) error {
		return c.SendFile("11.jpg", flasky.Mimetype("image/gif"))
	})

	// Slide 33:
	//
	//	im = Image.new("RGB", (220, 190))
	//	draw = ImageDraw.Draw(im)
	//	draw.rectangle((40, 40, 210, 180), fill="#ffff33", outline="red")
	//	im.save(buf, "JPEG", quality=70)
	app.Route("/get_image2", func(c *flasky.Ctx) error {
		im, err := flasky.NewImage("RGB", 220, 190)
		if err != nil {
			return err
		}
		err = flasky.Draw(im).Rectangle(40, 40, 210, 180, flasky.Fill("#ffff33"), flasky.Outline("red"))
		if err != nil {
			return err
		}
		return c.SendImage(im, flasky.JPEG(70))
	})

	// A picture drawn from the query: /badge?n=7&color=teal draws n
	// squares (0 to 20) in the color given; a color flasky does not know
	// is a 400 naming it.
	app.Route("/badge", func(c *flasky.Ctx) error {
		n := 3
		if s := c.Args.Get("n"); s != "" {
			if _, err := fmt.Sscanf(s, "%d", &n); err != nil || n < 0 || n > 20 {
				return &flasky.HTTPError{Code: 400, Message: "n must be a number from 0 to 20."}
			}
		}
		col := c.Args.Get("color")
		if col == "" {
			col = "teal"
		}
		if _, err := flasky.ParseColor(col); err != nil {
			return &flasky.HTTPError{Code: 400, Message: fmt.Sprintf("Unknown color %q.", col), Err: err}
		}
		im, err := flasky.NewImage("RGB", 20+n*24, 40, "white")
		if err != nil {
			return err
		}
		d := flasky.Draw(im)
		for i := range n {
			x := 10 + i*24
			if err := d.Rectangle(x, 8, x+19, 31, flasky.Fill(col), flasky.Outline("black")); err != nil {
				return err
			}
		}
		return c.SendImage(im, flasky.PNG())
	})
	return app
}

func main() {
	newApp().Main("0.0.0.0:8080") // run (-addr host:port), routes, -h: see flasky.App.Main
}
