// Package site holds what the end-to-end benchmark's servers must agree
// on: the requests of each case and the answers expected, the 64 KiB
// static file, and the temporary site folder (static/, templates/ and the
// Flask programs of the static and complex cases) that cmd/e2e writes and
// that cmd/peers and cmd/flasky-static serve with -root.
package site

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Answers and requests of the cases.
const (
	Hello       = "hello~~"     // GET /
	ParamName   = "gopher"      // GET /s5/gopher
	ParamAnswer = "data=gopher" // its answer
	// ComplexPath is the complex case's request: /s6/<slug>.json, a rule
	// with text after its variable, which flasky matches itself. Its
	// answer is ParamAnswer.
	ComplexPath = "/s6/" + ParamName + ".json"
	// FormQuery is what slide 27's form sends to /formget: name 홍길동
	// and an email address, URL-encoded as a browser does.
	FormQuery  = "name=%ED%99%8D%EA%B8%B8%EB%8F%99&email=hong%40example.com"
	FormAnswer = "name = 홍길동<br/>email = hong@example.com<br/>"
	// TemplateFile is slide 30's template, in the site's templates/.
	TemplateFile = "home.html"
	// StaticFile is the static case's file, in the site's static/.
	StaticFile = "file-64k.bin"
	StaticSize = 64 << 10
	// FlaskStaticModule is the Flask program of the static case, written
	// into the site folder: Flask serves the static/ folder beside it.
	FlaskStaticModule = "static_site"
	// FlaskComplexModule is the Flask program of the complex case, written
	// into the site folder: slide 25's routes.py with /s6/<slug>.json.
	FlaskComplexModule = "complex_site"
)

// TemplateName and TemplateList are slide 30's values.
var (
	TemplateName = "홍길동"
	TemplateList = []string{"홍길동", "이순신", "임꺽정"}
)

// TemplateHas is what the template page must contain, whichever server
// renders it (flasky's example is a whole document, Flask's a fragment).
var TemplateHas = []string{"Hello Flask Template 홍길동", "<li>홍길동</li>", "<li>이순신</li>", "<li>임꺽정</li>"}

// flaskStatic is the Flask program of the static case: Flask's own
// static route, /static/<path:filename>, from the static/ folder beside
// the module.
const flaskStatic = `# The static case of internal/bench/cmd/e2e: Flask's static route serves
# static/ beside this file. Usage: python3 static_site.py PORT
import sys

from flask import Flask

app = Flask(__name__)

if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    app.run(host="127.0.0.1", port=port)
`

// flaskComplex is the Flask program of the complex case: the routes of
// internal/parity/testdata/routes.py and /s6/<slug>.json.
const flaskComplex = `# The complex case of internal/bench/cmd/e2e: slide 25's routes and
# /s6/<slug>.json, a rule with text after its variable.
# Usage: python3 complex_site.py PORT
import sys

from flask import Flask

app = Flask(__name__)


@app.route("/")
def home():
    return "<h1>Hello Flask</h1>"


@app.route("/s1")
def s1():
    return "Hello s1"


@app.route("/s2")
@app.route("/s3")
def s2():
    return "Hello s2"


@app.route("/s5/<name>")
def s5(name):
    return "data=" + name


@app.route("/s6/<slug>.json")
def s6(slug):
    return "data=" + slug


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    app.run(host="127.0.0.1", port=port)
`

// StaticContent is the static file's bytes: always the same pseudo-random
// data, so that a check can compare every byte and nothing compresses it.
func StaticContent() []byte {
	b := make([]byte, StaticSize)
	rng := rand.New(rand.NewPCG(8, 64))
	for i := 0; i < len(b); i += 8 {
		v := rng.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

// Write fills dir (which must exist) with the site: static/StaticFile,
// templates/TemplateFile copied from template, and the Flask programs of
// the static and complex cases.
func Write(dir, template string) error {
	tmpl, err := os.ReadFile(template)
	if err != nil {
		return fmt.Errorf("site template: %w", err)
	}
	for _, sub := range []string{"static", "templates"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return fmt.Errorf("site: %w", err)
		}
	}
	files := map[string][]byte{
		filepath.Join(dir, "static", StaticFile):      StaticContent(),
		filepath.Join(dir, "templates", TemplateFile): tmpl,
		filepath.Join(dir, FlaskStaticModule+".py"):   []byte(flaskStatic),
		filepath.Join(dir, FlaskComplexModule+".py"):  []byte(flaskComplex),
	}
	for name, b := range files {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			return fmt.Errorf("site: %w", err)
		}
	}
	return nil
}

// CheckImage checks slide 33's picture: a 220x190 JPEG, black around a
// yellow (#ffff33) box with a red border from (40, 40) to (210, 180).
// JPEG is lossy, so colours are compared within a tolerance, away from
// the edges.
func CheckImage(body []byte) error {
	im, err := jpeg.Decode(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("not a JPEG: %w", err)
	}
	if b := im.Bounds(); b.Dx() != 220 || b.Dy() != 190 {
		return fmt.Errorf("picture is %dx%d, want 220x190", b.Dx(), b.Dy())
	}
	for _, p := range []struct {
		x, y    int
		r, g, b uint32
		what    string
	}{
		{10, 10, 0, 0, 0, "black background"},
		{125, 110, 0xff, 0xff, 0x33, "yellow box"},
		{200, 20, 0, 0, 0, "black background"},
	} {
		r, g, b, _ := im.At(p.x, p.y).RGBA()
		if far(r>>8, p.r) || far(g>>8, p.g) || far(b>>8, p.b) {
			return fmt.Errorf("pixel (%d, %d) is rgb(%d, %d, %d), want about rgb(%d, %d, %d) (%s)",
				p.x, p.y, r>>8, g>>8, b>>8, p.r, p.g, p.b, p.what)
		}
	}
	return nil
}

// far tells whether two 8-bit channel values differ by more than JPEG's
// error on a flat area.
func far(a, b uint32) bool {
	return max(a, b)-min(a, b) > 24
}
