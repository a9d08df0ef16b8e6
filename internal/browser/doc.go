// Package browser holds flasky's end-to-end tests in a real browser.
//
// The tests build the example programs (examples/form, examples/upload and
// examples/image) with the go command, run each binary on a free port of
// 127.0.0.1, and drive Debian's Chromium, headless, with chromedp: they
// type Korean and ASCII values into the form and submit it, upload a photo
// through the camera file input, and check that the drawn picture decodes
// at 220x190 in the browser.
//
// It is a module of its own, so that chromedp never enters flasky's
// go.mod. Run it with
//
//	cd internal/browser && go test ./...
//
// The tests skip, saying how to install what is missing, when chromium (or
// chromium-browser) or go cannot be found on PATH.
package browser
