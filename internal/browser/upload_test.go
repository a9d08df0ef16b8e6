package browser

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestUploadInBrowser sets the camera file input of examples/upload
// (slides 18 and 31) to a photo with a Korean name and submits the form,
// once through the page's script (XMLHttpRequest with a progress bar) and
// once with JavaScript off (the plain form post). Each time the page says
// 파일 업로드 성공! and the photo is on disk under static/downloads/,
// byte for byte, under its Korean name.
func TestUploadInBrowser(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	photo, err := os.ReadFile(filepath.Join("..", "..", "examples", "image", "11.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	photos := t.TempDir()
	site := t.TempDir()
	base := startExample(t, "upload", "-dir", site)
	ctx := newBrowser(t, chromium)

	tests := []struct {
		how      string
		script   bool
		filename string
	}{
		{"with the page's script", true, "사진.jpg"},
		{"with JavaScript off", false, "카메라 사진.jpg"},
	}
	for _, tt := range tests {
		t.Run(tt.how, func(t *testing.T) {
			path := filepath.Join(photos, tt.filename)
			if err := os.WriteFile(path, photo, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
				emulation.SetScriptExecutionDisabledParams{Value: !tt.script}); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(ctx,
				chromedp.Navigate(base+"/"),
				// The slide's input: accept="image/*" capture="camera".
				chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"][capture]`), []string{path}),
			); err != nil {
				t.Fatalf("%s: choosing %s: %v", tt.how, path, err)
			}
			chosen, err := chromedp.Run(ctx, chromedp.Evaluate[string](
				`document.querySelector('input[type="file"][capture]').files[0].name`))
			if err != nil || chosen != tt.filename {
				t.Errorf("%s: the file input holds %q (%v), want %q", tt.how, chosen, err, tt.filename)
			}

			submit := chromedp.Click(chromedp.CSS(`#upload input[type="submit"]`))
			var said string
			if tt.script {
				// The script sends the form itself and writes the answer
				// into #status, after "NN%" while it uploads.
				if err := chromedp.Do(ctx, submit); err != nil {
					t.Fatalf("%s: submitting: %v", tt.how, err)
				}
				said, err = chromedp.Run(ctx, chromedp.Poll[string](
					`(s => s !== "" && !s.endsWith("%") && s)(document.getElementById("status").textContent)`,
					chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second)))
				if err != nil {
					t.Fatalf("%s: waiting for the answer in #status: %v", tt.how, err)
				}
			} else {
				// The browser posts the form and shows the answer as a page.
				resp, err := chromedp.RunResponse(ctx, submit)
				if err != nil {
					t.Fatalf("%s: submitting: %v", tt.how, err)
				}
				if resp.Status != 200 || !strings.HasSuffix(resp.URL, "/fileUpload") {
					t.Errorf("%s: landed on %s with status %d, want /fileUpload and 200", tt.how, resp.URL, resp.Status)
				}
				if said, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body"))); err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("%s: chose %s (%d bytes) in the capture input, clicked 업로드, page says %q", tt.how, tt.filename, len(photo), said)
			if strings.TrimSpace(said) != "파일 업로드 성공!" {
				t.Errorf("%s: page says %q, want 파일 업로드 성공!", tt.how, said)
			}

			saved := filepath.Join(site, "static", "downloads", tt.filename)
			got, err := os.ReadFile(saved)
			switch {
			case err != nil:
				entries, _ := os.ReadDir(filepath.Dir(saved))
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("%s: %v; static/downloads holds %q", tt.how, err, names)
			case !bytes.Equal(got, photo):
				t.Errorf("%s: %s differs from the photo sent (%d bytes on disk, %d sent)", tt.how, saved, len(got), len(photo))
			default:
				t.Logf("%s: %s is on disk, %d bytes, identical to the photo", tt.how, saved, len(got))
			}
		})
	}
}
