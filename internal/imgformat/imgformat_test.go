package imgformat

import (
	"bytes"
	"compress/bzip2"
	"fmt"
	"image"
	"image/color"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"
)

// decoder is one format's pair of functions.
type decoder struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

var (
	ours = map[string]decoder{
		"bmp":  {DecodeBMPConfig, DecodeBMP},
		"tiff": {DecodeTIFFConfig, DecodeTIFF},
		"webp": {DecodeWebPConfig, DecodeWebP},
	}
	xImage = map[string]decoder{
		"bmp":  {bmp.DecodeConfig, bmp.Decode},
		"tiff": {tiff.DecodeConfig, tiff.Decode},
		"webp": {webp.DecodeConfig, webp.Decode},
	}
)

// corpusFile is one input of the comparison corpus.
type corpusFile struct {
	name, format string
	data         []byte
}

var (
	xDirOnce sync.Once
	xDir     string
)

// xImageDir returns golang.org/x/image's module directory, or skips.
func xImageDir(t testing.TB) string {
	xDirOnce.Do(func() {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/image").Output()
		if err == nil {
			xDir = strings.TrimSpace(string(out))
		}
	})
	if xDir == "" {
		t.Log("no golang.org/x/image module directory (go list -m failed): its testdata files are left out")
	}
	return xDir
}

// xImageFiles returns x/image's test files of a format, bzip2 ones
// uncompressed.
func xImageFiles(t testing.TB, format string) []corpusFile {
	dir := xImageDir(t)
	if dir == "" {
		return nil
	}
	var files []corpusFile
	for _, pattern := range []string{"testdata/*." + format, "testdata/*." + format + ".bz2", format + "/testdata/*." + format, format + "/testdata/*." + format + ".bz2"} {
		names, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(name, ".bz2") {
				if b, err = io.ReadAll(bzip2.NewReader(bytes.NewReader(b))); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			}
			rel, _ := filepath.Rel(dir, name)
			files = append(files, corpusFile{"x/image/" + rel, format, b})
		}
	}
	if len(files) == 0 {
		t.Logf("no %s files in %s: x/image's testdata is left out", format, dir)
	}
	return files
}

// sameImage reports how two images differ, or "".
func sameImage(got, want image.Image) string {
	if fmt.Sprintf("%T", got) != fmt.Sprintf("%T", want) {
		return fmt.Sprintf("type %T, x/image %T", got, want)
	}
	if got.Bounds() != want.Bounds() {
		return fmt.Sprintf("bounds %v, x/image %v", got.Bounds(), want.Bounds())
	}
	b := got.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g, w := color.RGBA64Model.Convert(got.At(x, y)), color.RGBA64Model.Convert(want.At(x, y))
			if g != w {
				return fmt.Sprintf("pixel (%d, %d) is %v, x/image %v", x, y, g, w)
			}
		}
	}
	return ""
}

// compareCorpus decodes each file with both decoders. A file x/image
// decodes must decode to the same pixels; one x/image refuses is only
// logged with what we do with it.
func compareCorpus(t *testing.T, files []corpusFile) {
	if len(files) == 0 {
		t.Skip("skipped: no files to compare (no x/image testdata, nothing generated)")
	}
	equal, refusedByBoth, oursOnly := 0, 0, 0
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			o, x := ours[f.format], xImage[f.format]
			want, werr := x.decode(bytes.NewReader(f.data))
			wantCfg, _ := x.config(bytes.NewReader(f.data))
			cfg, cerr := o.config(bytes.NewReader(f.data))
			got, gerr := o.decode(bytes.NewReader(f.data))
			switch {
			case werr != nil && gerr != nil:
				refusedByBoth++
				t.Logf("refused by both: ours %v; x/image %v", gerr, werr)
				return
			case werr != nil:
				oursOnly++
				t.Logf("x/image refuses it (%v); we read %T %v", werr, got, got.Bounds())
				return
			case gerr != nil:
				t.Fatalf("we refuse what x/image reads as %T %v: %v", want, want.Bounds(), gerr)
			case cerr != nil:
				t.Fatalf("DecodeConfig: %v", cerr)
			}
			if cfg.Width != wantCfg.Width || cfg.Height != wantCfg.Height {
				t.Errorf("config %dx%d, x/image %dx%d", cfg.Width, cfg.Height, wantCfg.Width, wantCfg.Height)
			}
			if b := got.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
				t.Errorf("image %v, config %dx%d", b, cfg.Width, cfg.Height)
			}
			if d := sameImage(got, want); d != "" {
				t.Fatal(d)
			}
			equal++
		})
	}
	t.Logf("%d files: %d equal to x/image's, %d refused by both, %d read only by us", len(files), equal, refusedByBoth, oursOnly)
}
