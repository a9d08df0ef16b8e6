package flasky_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flasky-go/flasky"
)

func TestFilesGetSave(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "static", "downloads")
	var got *flasky.File
	app := uploadApp(t, func(c *flasky.Ctx) error {
		f, err := c.Files.Get("file1")
		if err != nil {
			return err
		}
		got = f
		path, err := f.Save(dir)
		if err != nil {
			return err
		}
		n, err := f.Size()
		if err != nil {
			return err
		}
		return c.String(fmt.Sprintf("%s %d %s", filepath.Base(path), n, c.Form.Get("after")))
	})
	tests := []struct {
		filename, content, want string
	}{
		{"hello.txt", "hello~~", "hello.txt"},
		{"사진.jpg", strings.Repeat("\xff\xd8jpeg", 1000), "사진.jpg"},
		{"../../escape.txt", "no way out", "escape.txt"},
		{"..\\..\\win.txt", "nor here", "win.txt"},
		{".bashrc", "hidden?", "bashrc"},
		{"CON", "device", "_CON"},
		{"empty.bin", "", "empty.bin"},
	}
	for _, tt := range tests {
		t.Run(tt.filename, func(t *testing.T) {
			w := postForm(app, "/up", field("before", "b"), file("file1", tt.filename, tt.content), field("after", "a"))
			want := fmt.Sprintf("%s %d a", tt.want, len(tt.content))
			if w.Code != 200 || w.Body.String() != want {
				t.Errorf("%q: %d %q, want 200 %q", tt.filename, w.Code, w.Body.String(), want)
				return
			}
			if b := readFile(t, filepath.Join(dir, tt.want)); b != tt.content {
				t.Errorf("%q: saved %d bytes, want %d", tt.filename, len(b), len(tt.content))
			}
			if got.Filename != tt.filename || got.Field != "file1" || got.ContentType != "application/octet-stream" {
				t.Errorf("%q: File %q %q %q", tt.filename, got.Field, got.Filename, got.ContentType)
			}
		})
	}
	// Only the saved names are in the folder: no temporary file, nothing
	// outside it.
	want := []string{"_CON", "bashrc", "empty.bin", "escape.txt", "hello.txt", "win.txt", "사진.jpg"}
	if names := listDir(t, dir); !slices.Equal(names, want) {
		t.Errorf("folder holds %q, want %q", names, want)
	}
	if names := listDir(t, filepath.Dir(dir)); !slices.Equal(names, []string{"downloads"}) {
		t.Errorf("parent holds %q", names)
	}
	// The File is gone with its request.
	if _, err := got.Save(dir); err == nil {
		t.Error("Save after the request ended: no error")
	}
}

func TestFilesMissing(t *testing.T) {
	app := uploadApp(t, func(c *flasky.Ctx) error {
		f, err := c.Files.Get("file1")
		if err != nil {
			return err
		}
		return c.String(f.Filename)
	})
	urlenc := "application/x-www-form-urlencoded"
	tests := []struct {
		name string
		w    *httptest.ResponseRecorder
		code int
	}{
		{"no file1 field", postForm(app, "/up", field("title", "x"), file("other", "a.txt", "a")), 400},
		{"file1 is a text field", postForm(app, "/up", field("file1", "not a file")), 400},
		{"file input left empty", postForm(app, "/up", file("file1", "\x00", "")), 400},
		{"urlencoded form", serve(app, "POST", "/up", strings.NewReader("file1=x"), "Content-Type", urlenc), 400},
		{"GET", get(app, "/up"), 400},
		{"empty multipart body", serve(app, "POST", "/up", strings.NewReader(""), "Content-Type", "multipart/form-data; boundary=x"), 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.w.Code != tt.code || !strings.Contains(tt.w.Body.String(), "file1") {
				t.Errorf("%s: %d %q, want %d naming file1", tt.name, tt.w.Code, tt.w.Body.String(), tt.code)
			}
		})
	}
	// The 400 is an *HTTPError a handler can inspect.
	app2 := uploadApp(t, func(c *flasky.Ctx) error {
		_, err := c.Files.Get("file1")
		var he *flasky.HTTPError
		return c.String(fmt.Sprint(errors.As(err, &he) && he.Code == 400))
	})
	if w := postForm(app2, "/up", field("a", "b")); w.Body.String() != "true" {
		t.Errorf("error is not an HTTPError 400: %q", w.Body.String())
	}
}

// TestFilesReadPast: files the handler reads past are kept (spooled), so
// Get, List, Open and Save still work in any order, and the form holds
// the text fields wherever they are.
func TestFilesReadPast(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("0123456789abcdef", 64<<10) // 1 MiB: a temporary file
	app := uploadApp(t, func(c *flasky.Ctx) error {
		title := c.Form.Get("title") // reads the whole body
		f2, err := c.Files.Get("file2")
		if err != nil {
			return err
		}
		f1, err := c.Files.Get("file1")
		if err != nil {
			return err
		}
		rd, err := f1.Open()
		if err != nil {
			return err
		}
		head := make([]byte, 4)
		if _, err := io.ReadFull(rd, head); err != nil {
			return err
		}
		p1, err := f1.Save(dir)
		if err != nil {
			return err
		}
		p2, err := f2.Save(dir)
		if err != nil {
			return err
		}
		list, err := c.Files.List("many")
		if err != nil {
			return err
		}
		var names []string
		for _, f := range list {
			names = append(names, f.Filename)
		}
		n1, _ := f1.Size()
		n2, _ := f2.Size()
		return c.String(fmt.Sprintf("%s|%s|%s %d|%s %d|%v", title, head, filepath.Base(p1), n1, filepath.Base(p2), n2, names))
	})
	w := postForm(app, "/up", file("file1", "big.bin", big), file("many", "m1", "1"), field("title", "제목"),
		file("file2", "small.txt", "small"), file("many", "m2", "2"))
	want := fmt.Sprintf("제목|0123|big.bin %d|small.txt 5|[m1 m2]", len(big))
	if w.Code != 200 || w.Body.String() != want {
		t.Fatalf("%d %q, want %q", w.Code, w.Body.String(), want)
	}
	if readFile(t, filepath.Join(dir, "big.bin")) != big || readFile(t, filepath.Join(dir, "small.txt")) != "small" {
		t.Error("saved data differs")
	}
	if names := listDir(t, dir); !slices.Equal(names, []string{"big.bin", "small.txt"}) {
		t.Errorf("folder holds %q", names)
	}
}

// TestFilesAll streams every file of a multiple input in order.
func TestFilesAll(t *testing.T) {
	dir := t.TempDir()
	app := uploadApp(t, func(c *flasky.Ctx) error {
		var out []string
		for f, err := range c.Files.All() {
			if err != nil {
				return err
			}
			p, err := f.Save(dir, flasky.Unique())
			if err != nil {
				return err
			}
			out = append(out, f.Field+":"+filepath.Base(p))
		}
		return c.String(strings.Join(out, " ") + " " + c.Form.Get("t"))
	})
	w := postForm(app, "/up", file("a", "x.txt", "1"), field("t", "text"), file("b", "x.txt", "2"), file("a", "y.txt", "3"))
	if want := "a:x.txt b:x (1).txt a:y.txt text"; w.Code != 200 || w.Body.String() != want {
		t.Fatalf("%d %q, want %q", w.Code, w.Body.String(), want)
	}
	if readFile(t, filepath.Join(dir, "x (1).txt")) != "2" {
		t.Error("x (1).txt holds the wrong data")
	}

	// Breaking out of the loop keeps the rest for Get.
	app = uploadApp(t, func(c *flasky.Ctx) error {
		for f, err := range c.Files.All() {
			if err != nil || f.Field == "a" {
				break
			}
		}
		f, err := c.Files.Get("b")
		if err != nil {
			return err
		}
		rd, err := f.Open()
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(rd)
		return c.String(string(b))
	})
	if w := postForm(app, "/up", file("a", "x.txt", "1"), file("b", "y.txt", "second")); w.Body.String() != "second" {
		t.Errorf("after break: %d %q", w.Code, w.Body.String())
	}
}

func TestSaveUniqueAndOverwrite(t *testing.T) {
	dir := t.TempDir()
	var unique bool
	app := uploadApp(t, func(c *flasky.Ctx) error {
		f, err := c.Files.Get("f")
		if err != nil {
			return err
		}
		var opts []flasky.SaveOption
		if unique {
			opts = append(opts, flasky.Unique())
		}
		p, err := f.Save(dir, opts...)
		if err != nil {
			return err
		}
		return c.String(filepath.Base(p))
	})
	for i, want := range []string{"사진.jpg", "사진.jpg"} {
		if w := postForm(app, "/up", file("f", "사진.jpg", fmt.Sprint(i))); w.Body.String() != want {
			t.Errorf("overwrite %d: %q", i, w.Body.String())
		}
	}
	if readFile(t, filepath.Join(dir, "사진.jpg")) != "1" {
		t.Error("the second save did not replace the first")
	}
	unique = true
	// Concurrent saves of one name each get their own file.
	var wg sync.WaitGroup
	results := make([]string, 20)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = postForm(app, "/up", file("f", "사진.jpg", fmt.Sprint("data", i))).Body.String()
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, r := range results {
		if seen[r] {
			t.Errorf("two uploads saved as %q", r)
		}
		seen[r] = true
		if got := readFile(t, filepath.Join(dir, r)); got != fmt.Sprint("data", i) {
			t.Errorf("%s holds %q, want data%d", r, got, i)
		}
	}
	if !seen["사진 (1).jpg"] || !seen["사진 (20).jpg"] {
		t.Errorf("names: %v", results)
	}
}

func TestSaveAsAndBadName(t *testing.T) {
	dir := t.TempDir()
	app := uploadApp(t, func(c *flasky.Ctx) error {
		f, err := c.Files.Get("f")
		if err != nil {
			return err
		}
		if c.Form.Get("as") != "" {
			if err := f.SaveAs(filepath.Join(dir, "avatars", c.Form.Get("as"))); err != nil {
				return err
			}
			return c.String("ok")
		}
		_, err = f.Save(dir)
		return err
	})
	if w := postForm(app, "/up", file("f", "../x", "data"), field("as", "7.png")); w.Body.String() != "ok" {
		t.Fatalf("SaveAs: %d %q", w.Code, w.Body.String())
	}
	if readFile(t, filepath.Join(dir, "avatars", "7.png")) != "data" {
		t.Error("SaveAs wrote the wrong data")
	}
	for _, name := range []string{"..", "/", "\x00", ". . .", "\u202e"} {
		w := postForm(app, "/up", file("f", name, "data"))
		if w.Code != 400 {
			t.Errorf("Save of %q: %d, want 400", name, w.Code)
		}
	}
	if names := listDir(t, dir); !slices.Equal(names, []string{"avatars"}) {
		t.Errorf("folder holds %q", names)
	}
}

// TestSavePermissions: a saved file has the permissions of a file the
// program creates (0666 less the umask), streamed or moved from a
// temporary file alike.
func TestSavePermissions(t *testing.T) {
	dir := t.TempDir()
	probe := filepath.Join(dir, "probe")
	if err := os.WriteFile(probe, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(probe)
	want := st.Mode().Perm()
	app := uploadApp(t, func(c *flasky.Ctx) error {
		_ = c.Form.Get("x") // spool first
		f, err := c.Files.Get("moved")
		if err != nil {
			return err
		}
		_, err = f.Save(dir)
		return err
	})
	postForm(app, "/up", file("moved", "moved.bin", strings.Repeat("m", 100<<10)))
	app = uploadApp(t, func(c *flasky.Ctx) error {
		f, err := c.Files.Get("streamed")
		if err != nil {
			return err
		}
		_, err = f.Save(dir)
		return err
	})
	postForm(app, "/up", file("streamed", "streamed.bin", "s"))
	for _, name := range []string{"moved.bin", "streamed.bin"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", name, st.Mode().Perm(), want)
		}
	}
}

// TestFormFileCompat: after flasky read the body, net/http's own
// accessors still see the form.
func TestFormFileCompat(t *testing.T) {
	app := uploadApp(t, func(c *flasky.Ctx) error {
		if _, err := c.Files.Get("f"); err != nil {
			return err
		}
		if err := c.Form.Err(); err != nil {
			return err
		}
		mf, hdr, err := c.Request.FormFile("f")
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(mf)
		return c.String(c.Request.FormValue("a") + " " + c.Request.PostFormValue("b") + " " + hdr.Filename + " " + string(b))
	})
	if w := postForm(app, "/up", field("a", "1"), file("f", "n.txt", "data"), field("b", "2")); w.Body.String() != "1 2 n.txt data" {
		t.Errorf("%d %q", w.Code, w.Body.String())
	}
	// A body that middleware parsed with net/http: c.Files takes its result.
	dir := t.TempDir()
	app = uploadApp(t, func(c *flasky.Ctx) error {
		f, err := c.Files.Get("f")
		if err != nil {
			return err
		}
		p, err := f.Save(dir)
		if err != nil {
			return err
		}
		return c.String(filepath.Base(p) + " " + c.Form.Get("a") + " " + readFile(t, p))
	})
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseMultipartForm(10)
			next.ServeHTTP(w, r)
		})
	})
	if w := postForm(app, "/up", field("a", "1"), file("f", "n.txt", strings.Repeat("x", 100))); w.Body.String() != "n.txt 1 "+strings.Repeat("x", 100) {
		t.Errorf("after ParseMultipartForm: %d %q", w.Code, w.Body.String())
	}
}

func TestFilesCopy(t *testing.T) {
	app := uploadApp(t, func(c *flasky.Ctx) error {
		f, err := c.Files.Get("f")
		if err != nil {
			return err
		}
		cp := c.Copy()
		_, cerr := cp.Files.Get("f")
		rd, err := f.Open()
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(rd)
		return c.String(fmt.Sprintf("%s %s %v", cp.Form.Get("a"), b, cerr != nil))
	})
	if w := postForm(app, "/up", file("f", "n.txt", "data"), field("a", "after")); w.Body.String() != "after data true" {
		t.Errorf("%d %q", w.Code, w.Body.String())
	}
	// Copy before any read: net/http parses, c.Files takes the result.
	app = uploadApp(t, func(c *flasky.Ctx) error {
		cp := c.Copy()
		f, err := c.Files.Get("f")
		if err != nil {
			return err
		}
		rd, err := f.Open()
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(rd)
		return c.String(cp.Form.Get("a") + " " + string(b))
	})
	if w := postForm(app, "/up", file("f", "n.txt", "data"), field("a", "after")); w.Body.String() != "after data" {
		t.Errorf("copy first: %d %q", w.Code, w.Body.String())
	}
}

// TestUploadDisconnect: a client that goes away mid-upload leaves no file
// at the final name and no temporary file.
func TestUploadDisconnect(t *testing.T) {
	dest := t.TempDir()
	done := make(chan error, 2)
	app := uploadApp(t, func(c *flasky.Ctx) error {
		if c.Args.Has("spool") {
			err := c.Form.Err()
			done <- err
			return err
		}
		f, err := c.Files.Get("f")
		if err != nil {
			done <- err
			return err
		}
		_, err = f.Save(dest)
		done <- err
		return err
	})
	srv := httptest.NewServer(app)
	defer srv.Close()
	for _, target := range []string{"/up", "/up?spool=1"} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		head := "--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"partial.bin\"\r\n\r\n"
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=B\r\nContent-Length: %d\r\n\r\n%s",
			target, 10<<20, head)
		_, _ = conn.Write(bytes.Repeat([]byte("p"), 1<<20))
		time.Sleep(50 * time.Millisecond)
		_ = conn.Close()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("%s: Save of a cut upload succeeded", target)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the handler did not return", target)
		}
	}
	srv.Close() // waits for the handlers, and so for their cleanup
	if names := listDir(t, dest); len(names) != 0 {
		t.Errorf("left in the folder: %q", names)
	}
}

func TestSecureFilename(t *testing.T) {
	for in, want := range map[string]string{
		"사진.jpg":             "사진.jpg",
		"../../etc/passwd":   "passwd",
		"C:\\Windows\\x.ini": "x.ini",
		"nul.txt":            "_nul.txt",
	} {
		t.Run(in, func(t *testing.T) {
			if got, err := flasky.SecureFilename(in); got != want || err != nil {
				t.Errorf("SecureFilename(%q) = %q, %v; want %q", in, got, err, want)
			}
		})
	}
	if _, err := flasky.SecureFilename("../.."); !errors.Is(err, flasky.ErrUnsafeFilename) {
		t.Errorf("SecureFilename(\"../..\") error %v, want ErrUnsafeFilename", err)
	}
}

// TestSaveTwice: a file streamed by Save can be saved again (a copy of
// the saved file) and read; Size before Save keeps the file readable.
func TestSaveTwice(t *testing.T) {
	d1, d2 := t.TempDir(), t.TempDir()
	app := uploadApp(t, func(c *flasky.Ctx) error {
		a, err := c.Files.Get("a")
		if err != nil {
			return err
		}
		n, err := a.Size() // before Save: the file is spooled first
		if err != nil {
			return err
		}
		if _, err := a.Save(d1); err != nil {
			return err
		}
		b, err := c.Files.Get("b")
		if err != nil {
			return err
		}
		if _, err := b.Save(d1); err != nil { // streamed
			return err
		}
		if _, err := b.Save(d2, flasky.Unique()); err != nil { // copied from d1
			return err
		}
		rd, err := b.Open()
		if err != nil {
			return err
		}
		data, _ := io.ReadAll(rd)
		return c.String(fmt.Sprint(n, " ", string(data)))
	})
	big := strings.Repeat("a", 300<<10)
	w := postForm(app, "/up", file("a", "a.bin", big), file("b", "b.txt", "bee"))
	if w.Code != 200 || w.Body.String() != fmt.Sprint(len(big), " bee") {
		t.Fatalf("%d %q", w.Code, w.Body.String())
	}
	if readFile(t, filepath.Join(d1, "a.bin")) != big || readFile(t, filepath.Join(d1, "b.txt")) != "bee" || readFile(t, filepath.Join(d2, "b.txt")) != "bee" {
		t.Error("saved data differs")
	}
}
