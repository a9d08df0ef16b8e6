package browser

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Each test's actions in the browser are bounded by testTimeout, counted
// once the browser has started; starting it has a bound of its own, as
// Chromium can take long to start on a busy machine.
const (
	startTimeout = 60 * time.Second
	testTimeout  = 60 * time.Second
)

// findChromium returns the path of Debian's Chromium, or skips the test
// saying how to install it.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Skip("Chromium not found on PATH (looked for chromium and chromium-browser): " +
		"install it with `apt-get install -y chromium` (as root) to run the browser tests")
	return ""
}

// newBrowser starts the headless Chromium at path for one test and
// returns its context, bounded by testTimeout from now on and by
// startTimeout+testTimeout in all. The browser is closed when the test
// ends; its own output is shown when the test fails.
//
// chromedp gives every browser a fresh temporary --user-data-dir (a new
// profile: no cookies, cache or history from another run) and removes
// it, with any child process still using it, when the browser stops.
func newBrowser(t *testing.T, path string) context.Context {
	t.Helper()
	out := new(syncBuffer)
	// The first action on a chromedp context starts the browser, which
	// lives as long as that context: so the whole browser gets the total
	// bound, and the test's own bound is a child of it (below).
	total, cancelTotal := context.WithTimeout(context.Background(), startTimeout+testTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(total,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root, where the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true), // containers have a small /dev/shm
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.WindowSize(1024, 768),
		chromedp.CombinedOutput(out),
	)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		// Close the browser gracefully (bounded: after the total timeout
		// the context is done and this returns at once), then cancel, which
		// kills what is left of the process chromedp started; the
		// allocator's cancel waits until it has ended.
		closeCtx, cancelClose := context.WithTimeout(bctx, 10*time.Second)
		_ = chromedp.Cancel(closeCtx)
		cancelClose()
		cancelBrowser()
		cancelAlloc()
		cancelTotal()
		if t.Failed() && out.String() != "" {
			t.Logf("chromium's output:\n%s", out)
		}
	})
	// Start the browser now, so a browser that cannot start fails here
	// with its own message.
	start := time.Now()
	version, err := chromedp.Run(bctx, chromedp.Evaluate[string](`navigator.userAgent`))
	if err != nil {
		t.Fatalf("starting %s: %v\n%s", path, err, out)
	}
	t.Logf("started %s headless in %v: %s", path, time.Since(start).Round(time.Millisecond), version)
	ctx, cancel := context.WithTimeout(bctx, testTimeout)
	t.Cleanup(cancel) // runs first: Cleanup is last in, first out
	return ctx
}
