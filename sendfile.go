// Flask's send_file and send_from_directory, with conditional requests
// and ranges.

package flasky

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/flasky-go/flasky/internal/header"
	"github.com/flasky-go/flasky/internal/safepath"
)

// FileOption changes how [Ctx.SendFile], [Ctx.SendFromDirectory] and
// [Ctx.SendReader] answer, like the keyword arguments of Flask's
// send_file.
type FileOption func(*fileOptions)

type fileOptions struct {
	mimetype     string
	attachment   bool
	downloadName string
	maxAge       time.Duration
	hasMaxAge    bool
}

// Mimetype sets the Content-Type, whatever the file's name or content
// says: SendFile("11.jpg", flasky.Mimetype("image/gif")) sends a JPEG as
// image/gif. A text/ type without a charset gets "; charset=utf-8", as in
// Flask.
func Mimetype(t string) FileOption {
	return func(o *fileOptions) { o.mimetype = t }
}

// AsAttachment makes the browser save the file instead of showing it
// (Content-Disposition: attachment), under its own name or the one given
// with [DownloadName].
func AsAttachment() FileOption {
	return func(o *fileOptions) { o.attachment = true }
}

// DownloadName sets the file name the browser shows and saves under, in
// Content-Disposition (inline, or attachment with [AsAttachment]). Any
// name is safe: non-ASCII names are sent as RFC 5987 filename*, and
// quotes, backslashes, control characters and ';' cannot break the
// header. Without [Mimetype], the type comes from this name's extension.
func DownloadName(name string) FileOption {
	return func(o *fileOptions) { o.downloadName = name }
}

// MaxAge lets browsers and proxies keep the response for d without asking
// again (Cache-Control: public, max-age=N, and Expires). Without it, files
// are sent with Cache-Control: no-cache, as Flask does: clients keep them
// but revalidate each time, which the ETag and Last-Modified headers make
// cheap (a 304 without a body). A d of zero or less is no-cache too.
func MaxAge(d time.Duration) FileOption {
	return func(o *fileOptions) { o.maxAge, o.hasMaxAge = d, true }
}

// SendFile sends a file, like Flask's send_file. A relative path is found
// in the app's own files ([App.RootPath], or the [WithFS] file system),
// not the working directory, so SendFile("11.jpg") sends the 11.jpg beside
// the program's source however it is started; a relative path that leaves
// the app's folder is refused. An absolute path is opened as it is. The
// path must come from the program: for a name sent by the client use
// [Ctx.SendFromDirectory].
//
// The Content-Type comes from [Mimetype], else the extension of the
// download name or the file name, else the first 512 bytes (content that
// looks like HTML or XML is sent as text/plain: only a file's name can make
// it a page). Content-Disposition is inline with the file name unless
// [AsAttachment] or [DownloadName] say otherwise. The response has
// Content-Length, Last-Modified, a strong ETag and Accept-Ranges, answers
// If-None-Match and If-Modified-Since with 304, a Range with 206 (416 when
// it is out of the file), and HEAD without a body.
//
// A missing file or a directory is a 404 [HTTPError] whose cause names
// the path; the app logs it as a warning, since the program chose the
// path. A file it may not read is a 403.
func (c *Ctx) SendFile(path string, opts ...FileOption) error {
	f, err := c.app.openFile(path)
	if err != nil {
		e := fileHTTPError("SendFile", path, err)
		c.app.Logger.Warn(e.Err.Error(), "status", e.Code)
		return e
	}
	defer f.Close()
	var fsys fs.FS
	if !filepath.IsAbs(path) {
		fsys = c.app.appFS()
	}
	err = c.sendFS(f, fsys, path, "SendFile", fileOpts(opts))
	if e, ok := err.(*HTTPError); ok && e.Code == http.StatusNotFound && e.Err != nil {
		c.app.Logger.Warn(e.Err.Error(), "status", e.Code) // a folder
	}
	return err
}

// SendFromDirectory sends the file name from the folder dir, like Flask's
// send_from_directory; name may come from the client (a <path:name> rule
// variable) and can never reach a file outside dir: "..", absolute paths,
// backslashes, drive letters, NUL and other control characters, Windows
// device names (CON, nul.txt, com1/x) and symbolic links that point out
// of dir are all a 404. A relative dir is a folder of the app's own files
// (see [Ctx.SendFile]); an absolute one is used as it is. It answers like
// SendFile.
//
//	app.Route("/uploads/<path:name>", func(c *flasky.Ctx) error {
//		return c.SendFromDirectory("uploads", c.Param("name"))
//	})
func (c *Ctx) SendFromDirectory(dir, name string, opts ...FileOption) error {
	clean, err := safepath.Clean(name)
	if err == nil && strings.HasSuffix(name, "/") {
		err = errors.New("a folder's name")
	}
	if err != nil {
		return &HTTPError{Code: http.StatusNotFound, Err: fmt.Errorf("flasky: SendFromDirectory(%q, %q): %w", dir, name, err)}
	}
	a := c.app
	var f fs.File
	var fsys fs.FS
	key := path.Join(filepath.ToSlash(dir), clean)
	switch {
	case filepath.IsAbs(dir) || !a.embedded:
		abs := dir
		if !filepath.IsAbs(dir) {
			rel, err := appRelative(dir)
			if err != nil {
				return c.dirError(dir, name, err)
			}
			abs = filepath.Join(a.rootPath, filepath.FromSlash(rel))
		}
		root, err := os.OpenRoot(abs)
		if err != nil {
			return c.dirError(dir, name, err)
		}
		f, err = root.Open(filepath.FromSlash(clean))
		root.Close() // the open file stays valid
		if err != nil {
			return fileHTTPError("SendFromDirectory", key, err)
		}
	default:
		rel, err := appRelative(dir)
		if err != nil {
			return c.dirError(dir, name, err)
		}
		fsys, key = a.appFS(), path.Join(rel, clean)
		if f, err = fsys.Open(key); err != nil {
			return fileHTTPError("SendFromDirectory", key, err)
		}
	}
	defer f.Close()
	return c.sendFS(f, fsys, key, "SendFromDirectory", fileOpts(opts))
}

// SendReader sends what r holds, like Flask's send_file given a BytesIO:
// an image made in memory, a generated report. The type comes from
// [Mimetype], else the extension of [DownloadName], else r's first 512
// bytes (HTML and XML are sent as text/plain). An io.ReadSeeker
// (bytes.Reader, strings.Reader, *os.File) is served whole from its start
// with Content-Length and Range support; any other reader is copied as it
// comes, without a length. SendReader does not close r.
//
//	var buf bytes.Buffer
//	png.Encode(&buf, img)
//	return c.SendReader(bytes.NewReader(buf.Bytes()), flasky.Mimetype("image/png"))
func (c *Ctx) SendReader(r io.Reader, opts ...FileOption) error {
	o := fileOpts(opts)
	h := c.rw.Header()
	if rs, ok := r.(io.ReadSeeker); ok {
		if _, err := rs.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("flasky: SendReader: %w", err)
		}
		if err := c.setFileHeaders(o, "", rs, nil); err != nil {
			return err
		}
		return c.serveContent(o.downloadName, time.Time{}, rs)
	}
	var head [512]byte
	n, err := io.ReadFull(r, head[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return fmt.Errorf("flasky: SendReader: %w", err)
	}
	if err := c.setFileHeaders(o, "", nil, head[:n]); err != nil {
		return err
	}
	h.Del("Content-Length")
	if n < len(head) {
		h.Set("Content-Length", strconv.Itoa(n))
	}
	c.rw.WriteHeader(c.statusOr(http.StatusOK))
	if c.rw.head {
		return nil
	}
	return c.copyBody(head[:n], r, n == len(head))
}

// Stream sends a response piece by piece, like a Flask view that returns
// a generator: fn writes the body to w, and every Write goes to the
// client at once (w flushes after each one), for logs, progress or
// server-sent events ("text/event-stream"). An empty contentType is
// text/plain; charset=utf-8. The status line and headers go out with the
// first Write, so an error that fn returns before writing (such as
// flasky.Abort(403)) is answered like any other.
//
// When the client goes away, c.Context() is cancelled and w's writes fail
// with an error; fn should then return, and Stream returns nil, since
// nobody is left to answer. Inside fn, c.Context() is also cancelled when
// the server begins to stop (see [Ctx.Stopping]): an endless stream that
// watches it ends at once instead of holding the stop for the whole grace
// period, and Stream returns nil for it too. Another error from fn after its first write
// is returned and logged; the client sees the body end where it stopped.
// For HEAD, fn is not called.
//
//	return c.Stream("text/event-stream", func(w io.Writer) error {
//		for {
//			select {
//			case ev := <-events:
//				if _, err := fmt.Fprintf(w, "data: %s\n\n", ev); err != nil {
//					return err
//				}
//			case <-c.Context().Done():
//				return nil // the client left, or the server stops
//			}
//		}
//	})
func (c *Ctx) Stream(contentType string, fn func(w io.Writer) error) error {
	h := c.rw.Header()
	if contentType == "" {
		h["Content-Type"] = ctText
	} else {
		h.Set("Content-Type", contentType)
	}
	h.Del("Content-Length")
	if c.rw.head {
		c.rw.WriteHeader(c.statusOr(http.StatusOK))
		return nil
	}
	sw := &streamWriter{c: c, rc: http.NewResponseController(c.Writer)}
	// An endless stream would hold a stop for its whole grace period:
	// its context ends when the stop begins.
	req := c.Request
	ctx, cancel := c.streamContext()
	c.Request = req.WithContext(ctx)
	err := fn(sw)
	ended := ctx.Err() != nil
	cancel()
	c.Request = req
	if err != nil && (ended || (sw.err != nil && errors.Is(err, sw.err))) {
		return nil // the client left, or the server stops: the stream is over
	}
	if err == nil && !c.rw.wroteHeader {
		c.rw.WriteHeader(c.statusOr(http.StatusOK))
	}
	return err
}

// streamWriter is the writer Stream hands to its function.
type streamWriter struct {
	c   *Ctx
	rc  *http.ResponseController
	err error // the first failed write or flush
}

func (w *streamWriter) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if err := w.c.Context().Err(); err != nil {
		w.err = fmt.Errorf("flasky: Stream: client gone: %w", err)
		return 0, w.err
	}
	if !w.c.rw.wroteHeader {
		w.c.rw.WriteHeader(w.c.statusOr(http.StatusOK))
	}
	n, err := w.c.Writer.Write(p)
	if err == nil {
		if err = w.rc.Flush(); errors.Is(err, http.ErrNotSupported) {
			err = nil // a writer that cannot flush still gets the bytes
		}
	}
	if err != nil {
		w.err = fmt.Errorf("flasky: Stream: %w", err)
		return n, w.err
	}
	return n, nil
}

func fileOpts(opts []FileOption) fileOptions {
	var o fileOptions
	for _, fn := range opts {
		fn(&o)
	}
	return o
}

// appRelative checks a relative folder given by the program and returns
// it slash-separated and cleaned; it must stay inside the app's folder.
func appRelative(dir string) (string, error) {
	clean := path.Clean(filepath.ToSlash(dir))
	if clean == ".." || strings.HasPrefix(clean, "../") || strings.HasPrefix(clean, "/") {
		return "", fmt.Errorf("%q leaves the app's folder: %w", dir, fs.ErrNotExist)
	}
	return clean, nil
}

// dirError answers a folder given to SendFromDirectory that cannot be
// opened: the program's mistake, so it is logged.
func (c *Ctx) dirError(dir, name string, err error) error {
	e := fileHTTPError("SendFromDirectory", dir, err)
	e.Err = fmt.Errorf("flasky: SendFromDirectory(%q, %q): folder: %w", dir, name, err)
	c.app.Logger.Warn(e.Err.Error(), "status", e.Code)
	return e
}

// fileHTTPError turns an error opening a file into a response: 403 when
// the file may not be read, 500 when the server is out of resources or
// the disk fails, and 404 for anything else (missing, a directory,
// refused as unsafe, a link out of the folder).
func fileHTTPError(op, name string, err error) *HTTPError {
	code := http.StatusNotFound
	switch {
	case errors.Is(err, fs.ErrPermission):
		code = http.StatusForbidden
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE),
		errors.Is(err, syscall.EIO), errors.Is(err, syscall.ENOMEM):
		code = http.StatusInternalServerError
	}
	return &HTTPError{Code: code, Err: fmt.Errorf("flasky: %s %q: %w", op, name, err)}
}

// sendFS sends an opened file. fsys is the file system it came from (nil
// for the disk outside the app's files) and key its name there, for the
// ETag of files without a modification time.
func (c *Ctx) sendFS(f fs.File, fsys fs.FS, key, op string, o fileOptions) error {
	st, err := f.Stat()
	if err != nil {
		return fileHTTPError(op, key, err)
	}
	if !st.Mode().IsRegular() {
		return &HTTPError{Code: http.StatusNotFound, Err: fmt.Errorf("flasky: %s %q: not a regular file", op, key)}
	}
	if o.downloadName == "" {
		o.downloadName = path.Base(filepath.ToSlash(key))
	}
	rs, seekable := f.(io.ReadSeeker)
	h := c.rw.Header()
	if tag, err := fileETag(fsys, key, st, rs); err != nil {
		return fmt.Errorf("flasky: %s %q: %w", op, key, err)
	} else if tag != "" {
		h.Set("ETag", tag)
	}
	if seekable {
		if err := c.setFileHeaders(o, st.Name(), rs, nil); err != nil {
			return err
		}
		return c.serveContent(st.Name(), st.ModTime(), rs)
	}
	// Without Seek there are no ranges: the file goes whole.
	var head [512]byte
	n, err := io.ReadFull(f, head[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return fmt.Errorf("flasky: %s %q: %w", op, key, err)
	}
	if err := c.setFileHeaders(o, st.Name(), nil, head[:n]); err != nil {
		return err
	}
	if mt := st.ModTime(); !mt.IsZero() {
		h.Set("Last-Modified", mt.UTC().Format(http.TimeFormat))
	}
	h.Set("Content-Length", strconv.FormatInt(st.Size(), 10))
	c.rw.WriteHeader(http.StatusOK)
	if c.rw.head {
		return nil
	}
	return c.copyBody(head[:n], f, n == len(head))
}

// copyBody sends head, then the rest of r when more is left. A failed
// write means the client left and is not an error; a failed read is.
func (c *Ctx) copyBody(head []byte, r io.Reader, more bool) error {
	if _, err := c.rw.Write(head); err != nil || !more {
		return nil
	}
	src := &readErrs{r: r}
	_, _ = io.Copy(&fileWriter{c: c}, src)
	return src.err
}

// readErrs remembers a reader's error, to tell it from the writer's.
type readErrs struct {
	r   io.Reader
	err error
}

func (r *readErrs) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

// setFileHeaders sets Content-Type, Content-Disposition and
// Cache-Control. The type is sniffed from rs (which is rewound) or head
// when neither the options nor a name decide it.
func (c *Ctx) setFileHeaders(o fileOptions, fileName string, rs io.ReadSeeker, head []byte) error {
	h := c.rw.Header()
	switch {
	case o.mimetype != "":
		ct := o.mimetype
		if strings.HasPrefix(ct, "text/") && !strings.Contains(ct, "charset") {
			ct += "; charset=utf-8"
		}
		h.Set("Content-Type", ct)
	case h.Get("Content-Type") != "":
		// set by the handler: kept
	default:
		name := o.downloadName
		if name == "" {
			name = fileName
		}
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			if rs != nil {
				var buf [512]byte
				n, _ := io.ReadFull(rs, buf[:])
				if _, err := rs.Seek(0, io.SeekStart); err != nil {
					return fmt.Errorf("flasky: rewind after sniffing: %w", err)
				}
				head = buf[:n]
			}
			ct = sniff(head)
		}
		h.Set("Content-Type", ct)
	}
	if o.downloadName != "" || o.attachment {
		h.Set("Content-Disposition", header.ContentDisposition(o.attachment, o.downloadName))
	}
	if !o.hasMaxAge && c.app.Config.SendFileMaxAgeDefault > 0 {
		o.maxAge, o.hasMaxAge = c.app.Config.SendFileMaxAgeDefault, true
	}
	switch {
	case o.hasMaxAge && o.maxAge > 0:
		secs := int64(o.maxAge / time.Second)
		h.Set("Cache-Control", "public, max-age="+strconv.FormatInt(secs, 10))
		h.Set("Expires", time.Now().Add(time.Duration(secs)*time.Second).UTC().Format(http.TimeFormat))
	case o.hasMaxAge || h.Get("Cache-Control") == "":
		h.Set("Cache-Control", "no-cache")
	}
	return nil
}

// sniff is http.DetectContentType, except that content which would be
// shown as a page (HTML, XML) is text/plain: a file whose name does not
// say it is a page never runs script in the browser.
func sniff(head []byte) string {
	ct := http.DetectContentType(head)
	if strings.HasPrefix(ct, "text/html") || strings.HasPrefix(ct, "text/xml") {
		return "text/plain; charset=utf-8"
	}
	return ct
}

// serveContent answers with http.ServeContent: ranges, conditional
// requests, HEAD. Its error answers (412, 416) go through the app's error
// handlers like any HTTPError.
func (c *Ctx) serveContent(name string, modtime time.Time, rs io.ReadSeeker) error {
	fw := fileWriter{c: c, catch: true}
	http.ServeContent(&fw, c.Request, name, modtime, rs)
	if fw.code == 0 {
		// Like net/http, a copy that fails half-way is not reported:
		// almost always the client went away (a video player seeking).
		return nil
	}
	h := c.rw.Header()
	for _, k := range []string{"Content-Type", "X-Content-Type-Options", "Content-Disposition",
		"Cache-Control", "Expires", "Etag", "Last-Modified", "Accept-Ranges"} {
		h.Del(k)
	}
	e := &HTTPError{Code: fw.code}
	if fw.code >= 500 {
		e.Err = fmt.Errorf("flasky: sending %q: %s", name, bytes.TrimSpace(fw.body))
	}
	return e
}

// fileWriter carries a file's body to the client. For http.ServeContent
// (catch set) it keeps error answers back so that the app can send its
// own page. Its ReadFrom lets the server copy a file with sendfile(2)
// when no middleware stands between.
type fileWriter struct {
	c     *Ctx
	catch bool
	code  int    // error status kept back
	body  []byte // and its text
}

func (w *fileWriter) Header() http.Header { return w.c.rw.Header() }

func (w *fileWriter) WriteHeader(code int) {
	if w.catch && code >= 400 {
		if w.code == 0 {
			w.code = code
		}
		return
	}
	w.c.rw.WriteHeader(code)
}

func (w *fileWriter) Write(p []byte) (int, error) {
	if w.code != 0 {
		if len(w.body) < 512 {
			w.body = append(w.body, p[:min(len(p), 512)]...)
		}
		return len(p), nil
	}
	return w.c.rw.Write(p)
}

func (w *fileWriter) ReadFrom(r io.Reader) (int64, error) {
	if w.code != 0 {
		return io.Copy(io.Discard, r)
	}
	rw := &w.c.rw
	if !rw.wroteHeader {
		rw.WriteHeader(http.StatusOK)
	}
	// Past flasky's own wrappers only: a middleware's writer (gzip...)
	// must see every byte.
	dst := rw.w
	for {
		inner, ok := dst.(*responseWriter)
		if !ok {
			break
		}
		dst = inner.w
	}
	var n int64
	var err error
	if rf, ok := dst.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(r)
	} else {
		n, err = io.Copy(writerOnly{rw.w}, r)
	}
	rw.size += n
	return n, err
}

// writerOnly hides every method but Write, so io.Copy does not loop back
// into a ReadFrom.
type writerOnly struct{ io.Writer }

// fileETag returns a strong ETag for a file: its modification time, size
// and name when it has a modification time, else a hash of its content
// (embed.FS files), computed once per file for file systems that can be
// map keys (embed.FS is) and on each request for others.
func fileETag(fsys fs.FS, key string, st fs.FileInfo, rs io.ReadSeeker) (string, error) {
	if mt := st.ModTime(); !mt.IsZero() {
		h := fnv.New32a()
		h.Write([]byte(key))
		return `"` + strconv.FormatInt(mt.UnixNano(), 16) + "-" + strconv.FormatInt(st.Size(), 16) +
			"-" + strconv.FormatUint(uint64(h.Sum32()), 16) + `"`, nil
	}
	if rs == nil {
		return "", nil
	}
	var ck etagKey
	cacheable := fsys != nil && reflect.ValueOf(fsys).Comparable()
	if cacheable {
		ck = etagKey{fsys: fsys, name: key, size: st.Size()}
		if tag, ok := contentETags.Load(ck); ok {
			return tag.(string), nil
		}
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, rs); err != nil {
		return "", err
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	tag := `"` + hex.EncodeToString(sum.Sum(nil)[:16]) + `"`
	if cacheable {
		contentETags.Store(ck, tag)
	}
	return tag, nil
}

type etagKey struct {
	fsys any
	name string
	size int64
}

// contentETags caches content hashes of files without a modification
// time; such files (embed.FS) do not change while the program runs.
var contentETags sync.Map
