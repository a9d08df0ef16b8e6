//go:build unix

package main

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// reloadBound is the bound from saving a file to the new text
// being served (Werkzeug polls once a second, then restarts Python).
const reloadBound = 2 * time.Second

// overheadBound is what the reloader itself may add to go build: noticing
// the change, then starting the new binary until it serves. When other
// work on the machine makes go build alone eat the 2 s, this is what
// is checked.
const overheadBound = time.Second

// TestReloadLive does what a new user does with this example: copy it
// into a module of its own, go run it, and edit it while a client keeps
// requesting it. The new text must be served within reloadBound of the
// save; a syntax error must show the compiler's error (file and line) on
// the open port; the fix must serve again, its panics with their source;
// a program that dies on start must show how; and the client must never
// see a connection error.
func TestReloadLive(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("skipped: no go command on PATH, so the reloader cannot rebuild anything")
	}
	dir := newUserModule(t)
	addr := freeAddr(t)
	url := "http://" + addr + "/"
	console, pgid, stop := goRun(t, goCmd, dir, addr)

	// The first build compiles the flasky snapshot: give it time.
	if _, ok, body := waitFor(url, 90*time.Second, func(code int, body string) bool { return body == "hello~~" }); !ok {
		t.Fatalf("the example never served hello~~ (last answer %q); console:\n%s", body, console.String())
	}
	stopHammer := make(chan struct{})
	h := startHammer(url, stopHammer)
	mainGo := filepath.Join(dir, "main.go")
	src, err := os.ReadFile(mainGo)
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)

	// 1. Edit the returned text, twice: the first reload replaces the
	// program go run built, the second one a rebuilt child.
	old := `c.String("hello~~")`
	for i := 1; i <= 2; i++ {
		want := "hello, reloaded " + strconv.Itoa(i)
		now := `c.String("` + want + `")`
		text = replaceOnce(t, text, old, now)
		old = now
		saved := time.Now()
		writeFile(t, mainGo, text)
		took, ok, body := waitFor(url, 20*time.Second, func(code int, body string) bool { return body == want })
		if !ok {
			t.Fatalf("the edited text was not served within 20s (last answer %q); console:\n%s", body, console.String())
		}
		checkReloadTime(t, console, saved, took)
	}

	// 2. A syntax error: the port stays open and shows it.
	broken := replaceOnce(t, text, old, `c.String("hello, broken" +)`)
	line := strings.Count(broken[:strings.Index(broken, `"hello, broken" +)`)], "\n") + 1
	writeFile(t, mainGo, broken)
	where := "main.go:" + strconv.Itoa(line)
	_, ok, body := waitFor(url, 20*time.Second, func(code int, body string) bool {
		return code == 500 && strings.Contains(body, "Build failed") && strings.Contains(body, where)
	})
	if !ok {
		t.Fatalf("no compile error page naming %s within 20s; last answer %q; console:\n%s", where, body, console.String())
	}
	for _, want := range []string{"syntax error", "hello, broken&#34; &#43;)"} {
		if !strings.Contains(body, want) {
			t.Errorf("the compile error page lacks %q (the message, the source line):\n%s", want, body)
		}
	}

	// 3. Fix it, with a new route that panics: the new code serves, and
	// the panic shows its source in debug mode.
	fixed := replaceOnce(t, text, old, `c.String("hello, fixed")`)
	fixed = replaceOnce(t, fixed, "\treturn app\n", "\tapp.Route(\"/boom\", func(c *flasky.Ctx) error { panic(\"boom\") })\n\treturn app\n")
	writeFile(t, mainGo, fixed)
	if _, ok, body := waitFor(url, 20*time.Second, func(code int, body string) bool { return body == "hello, fixed" }); !ok {
		t.Fatalf("the fixed text was not served within 20s (last answer %q); console:\n%s", body, console.String())
	}
	code, page := get(url + "boom")
	if code != 500 || !strings.Contains(page, "main.go:") || !strings.Contains(page, "panic(&#34;boom&#34;)") {
		t.Errorf("GET /boom = %d, want the debug page with the panicking line of main.go:\n%s", code, page)
	}

	// 4. A program that dies on start: the port still answers, with the
	// panic and its source.
	writeFile(t, mainGo, fixed+"\nfunc init() { panic(\"init failed\") }\n")
	_, ok, body = waitFor(url, 20*time.Second, func(code int, body string) bool {
		return code == 500 && strings.Contains(body, "The program exited")
	})
	if !ok {
		t.Fatalf("no crash page within 20s; last answer %q; console:\n%s", body, console.String())
	}
	for _, want := range []string{"panic: init failed", "main.go:", "func init() { panic(&#34;init failed&#34;) }"} {
		if !strings.Contains(body, want) {
			t.Errorf("the crash page lacks %q:\n%s", want, body)
		}
	}

	close(stopHammer)
	<-h.done
	t.Logf("client loop: %d requests, %d connection errors", h.requests, h.failures)
	if h.failures > 0 {
		t.Errorf("the client loop saw %d connection errors during the reloads, want none: %q", h.failures, h.firstErrors)
	}
	if h.requests < 50 {
		t.Errorf("the client loop made only %d requests", h.requests)
	}

	// Ctrl+C stops it all and frees the port. (go run itself exits 1
	// after Ctrl+C, whatever the program does.)
	if err := stop(); err != nil && !isExit(err) {
		t.Errorf("stopping go run: %v", err)
	}
	if left := groupLeft(pgid, 3*time.Second); len(left) > 0 {
		t.Errorf("processes of go run's group are left 3s after Ctrl+C:\n%s", strings.Join(left, "\n"))
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after Ctrl+C", addr)
	}
	out := console.String()
	if t.Failed() {
		t.Logf("console:\n%s", out)
	}
	for _, want := range []string{" * Debug mode: on", " * Restarting with stat", " * Detected change in '" + mainGo + "', reloading", "Build failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("console lacks %q:\n%s", want, out)
		}
	}
}

// checkReloadTime checks the time from saving to the new text served:
// within reloadBound, or, when go build alone took most of it, within
// overheadBound of the build's own time (from the console's " * Detected
// change" line to its " * Restarting with stat" line).
func checkReloadTime(t *testing.T, console *syncBuffer, saved time.Time, took time.Duration) {
	t.Helper()
	detected := console.lineAt(" * Detected change in", saved)
	restarting := console.lineAt(" * Restarting with stat", detected)
	if detected.IsZero() || restarting.IsZero() {
		t.Errorf("no Detected change / Restarting with stat lines after the save:\n%s", console.String())
		return
	}
	build := restarting.Sub(detected)
	overhead := took - build
	t.Logf("save to new text served: %v (go build %v, the reloader's own part %v)",
		took.Round(time.Millisecond), build.Round(time.Millisecond), overhead.Round(time.Millisecond))
	if took > reloadBound && overhead > overheadBound {
		t.Errorf("the new text took %v to be served, want at most %v (or the reloader's part, %v, at most %v)",
			took.Round(time.Millisecond), reloadBound, overhead.Round(time.Millisecond), overheadBound)
	} else if took > reloadBound {
		t.Logf("over %v only because go build took %v on this busy machine", reloadBound, build.Round(time.Millisecond))
	}
}

// isExit reports an exit status, as opposed to a failure to stop.
func isExit(err error) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee)
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if strings.Count(s, old) != 1 {
		t.Fatalf("main.go does not hold %q once", old)
	}
	return strings.Replace(s, old, new, 1)
}
