// One reader serves both c.Files and a multipart c.Form: the body is read
// part by part only as far as the handler asks, text fields into memory
// under the limits, files streamed by Save straight to their folder or,
// when the handler reads past them, kept in temporary files that are
// removed when the request ends.

package flasky

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"weak"
)

const (
	// maxPartHeader is how many bytes of the body one NextPart call may
	// read: the boundary line and the part's headers. mime/multipart
	// would read 10 MB of headers into memory first.
	maxPartHeader = 64 << 10
	// spoolFileMemory is the size up to which a file the handler reads
	// past is kept in memory rather than in a temporary file, and
	// spoolTotalMemory the total of such files for one request.
	spoolFileMemory  = 32 << 10
	spoolTotalMemory = 1 << 20
	// bodyBufSize is the read buffer between the connection and
	// mime/multipart, whose own buffer is 4 KiB: fewer, larger reads.
	bodyBufSize = 64 << 10
	// copyBufSize is the buffer that Save fills before each write.
	copyBufSize = 256 << 10
)

var (
	bodyReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, bodyBufSize) }}
	copyBufs    = sync.Pool{New: func() any { b := make([]byte, copyBufSize); return &b }}
	// activeUploads finds a request's upload from a copied Ctx (see
	// Ctx.Copy, which reads the form), keyed by *http.Request.
	activeUploads sync.Map
)

// clientError marks an error of the request body (the client's data or
// connection), as opposed to one of the server's disk.
type clientError struct{ err error }

func (e clientError) Error() string { return e.err.Error() }
func (e clientError) Unwrap() error { return e.err }

// uploadError turns an error met while reading a body into what the
// client is answered: 413 for a limit (Flask's page), 400 for a broken
// body, and 500 for anything else (a full disk...).
func uploadError(err error) error {
	var he *HTTPError
	var mbe *http.MaxBytesError
	var ce clientError
	switch {
	case errors.As(err, &he):
		return he
	case errors.As(err, &mbe), errors.Is(err, errTooLarge), errors.Is(err, multipart.ErrMessageTooLarge):
		return &HTTPError{Code: http.StatusRequestEntityTooLarge, Err: err}
	case errors.As(err, &ce):
		return &HTTPError{Code: http.StatusBadRequest, Message: "The form could not be read: " + ce.err.Error(), Err: err}
	}
	return err
}

// upload is the state of one request's multipart body.
type upload struct {
	req    *http.Request
	lim    uploadLimits
	why    string // why the request can have no file, for the 400 message
	body   *bufio.Reader
	meter  meter
	mr     *multipart.Reader
	cur    *File // the file part the body is positioned on, unread
	done   bool  // every part has been read, or err is set
	err    error // why the body cannot be read further (sticky)
	closed bool  // the request has ended

	form     url.Values
	files    map[string][]*File
	order    []*File // every file, in the order sent
	parts    int
	kept     int64 // bytes of text fields and file headers in memory
	inMemory int64 // bytes of small files kept in memory
	spools   []*multipart.Form
	opened   []*os.File
	shared   bool // registered in activeUploads (not the stand-in of an ended request)
}

// upload returns the request's upload state, starting it on first use.
func (c *Ctx) upload() *upload {
	u := c.Files.u
	if u != nil && u.req == c.Request {
		return u
	}
	if u != nil {
		u.release()
	}
	if c.Files.ended != (weak.Pointer[http.Request]{}) && c.Files.ended == weak.Make(c.Request) {
		return &upload{req: c.Request, form: url.Values{}, done: true, closed: true, err: errRequestEnded}
	}
	u = &upload{req: c.Request, form: url.Values{}, files: map[string][]*File{}, shared: true}
	c.Files.u = u
	activeUploads.Store(c.Request, u)
	u.start(c)
	return u
}

// start checks the request and sets the reader up, reading nothing yet.
func (u *upload) start(c *Ctx) {
	r := c.Request
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		u.none("a " + r.Method + " request has no form body")
		return
	}
	if r.MultipartForm != nil {
		// net/http's ParseMultipartForm read the body already (middleware,
		// or a copied Ctx): take its result.
		u.fromForm(r.MultipartForm)
		return
	}
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" {
		u.none(`the body is not multipart/form-data, as a form without enctype="multipart/form-data" sends it`)
		return
	}
	boundary := params["boundary"]
	if boundary == "" {
		u.fail(clientError{errors.New("the multipart Content-Type has no boundary")})
		return
	}
	u.lim = c.limits()
	if err := u.lim.declaredTooLarge(r); err != nil {
		// Refused before reading a byte (with Expect: 100-continue the
		// client does not even send it).
		u.fail(err)
		return
	}
	if r.ContentLength == 0 || r.Body == nil || r.Body == http.NoBody {
		u.finish(r)
		return
	}
	var body io.Reader = r.Body
	if u.lim.maxContent > 0 {
		// A chunked body, or one longer than it said, is cut here. The
		// server's own writer is passed so that it closes the connection
		// rather than reading the rest.
		body = http.MaxBytesReader(c.rw.w, r.Body, u.lim.maxContent)
	}
	u.body = bodyReaders.Get().(*bufio.Reader)
	u.body.Reset(body)
	u.meter = meter{r: u.body}
	u.mr = multipart.NewReader(&u.meter, boundary)
}

// none records that the request has no multipart body.
func (u *upload) none(why string) {
	u.why = why
	u.done = true
}

// fromForm takes the result of net/http's ParseMultipartForm.
func (u *upload) fromForm(mf *multipart.Form) {
	u.done = true
	if mf.Value != nil {
		u.form = mf.Value
	}
	for _, field := range slices.Sorted(maps.Keys(mf.File)) {
		for _, fh := range mf.File[field] {
			f := &File{Field: field, Filename: fh.Filename, Header: fh.Header,
				ContentType: fh.Header.Get("Content-Type"), u: u, fh: fh, size: fh.Size}
			u.files[field] = append(u.files[field], f)
			u.order = append(u.order, f)
		}
	}
}

// fail stops reading the body: every later read reports err.
func (u *upload) fail(err error) error {
	if u.err == nil {
		u.err = uploadError(err)
	}
	u.done = true
	if f := u.cur; f != nil {
		f.part, f.err, u.cur = nil, u.err, nil
	}
	return u.err
}

// finish is called after the last part: the form is complete, and is
// given to the request too, so that net/http's r.FormValue, r.PostForm
// and r.FormFile see what flasky read.
func (u *upload) finish(r *http.Request) {
	u.done = true
	if r.PostForm == nil {
		r.PostForm = u.form
	}
	if r.MultipartForm == nil {
		mf := &multipart.Form{Value: u.form, File: map[string][]*multipart.FileHeader{}}
		for _, f := range u.order {
			if f.fh != nil && f.saved == "" {
				mf.File[f.Field] = append(mf.File[f.Field], f.fh)
			}
		}
		r.MultipartForm = mf
	}
}

// step reads the next part. A text field goes into the form; a file part
// becomes u.cur and is returned, unread; the file the body was on before
// is spooled first. At the end of the body u.done is set.
func (u *upload) step() (*File, error) {
	if u.err != nil {
		return nil, u.err
	}
	if u.done {
		return nil, nil
	}
	if u.cur != nil {
		if err := u.spool(u.cur); err != nil {
			return nil, err
		}
	}
	u.meter.budget, u.meter.on = maxPartHeader, true
	p, err := u.mr.NextPart()
	u.meter.on = false
	if err == io.EOF {
		u.finish(u.req)
		return nil, nil
	}
	if err != nil {
		if errors.Is(err, errPartHeader) && u.parts == 0 {
			err = errors.New("the first 64 KiB of the body hold no boundary line and complete part headers")
		}
		if !errors.Is(err, errPartHeader) {
			err = clientError{err}
		}
		return nil, u.fail(err)
	}
	u.parts++
	if u.lim.maxParts > 0 && u.parts > u.lim.maxParts {
		return nil, u.fail(fmt.Errorf("flasky: the form has more than MaxFormParts (%d) parts: %w", u.lim.maxParts, errTooLarge))
	}
	name := p.FormName()
	filename, isFile := "", false
	if name != "" {
		_, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		filename, isFile = params["filename"]
	}
	switch {
	case name == "" || (isFile && filename == ""):
		// No name, or a file input left empty (browsers send filename=""
		// and no data): nothing to keep.
		if _, err := io.Copy(io.Discard, p); err != nil {
			return nil, u.fail(clientError{err})
		}
		return nil, nil
	case !isFile:
		return nil, u.readField(name, p)
	}
	if err := u.keep(int64(len(name)) + headerSize(p.Header)); err != nil {
		return nil, err
	}
	f := &File{Field: name, Filename: filename, Header: p.Header, ContentType: p.Header.Get("Content-Type"),
		u: u, part: p, size: -1}
	u.cur = f
	u.files[name] = append(u.files[name], f)
	u.order = append(u.order, f)
	return f, nil
}

// keep counts n more bytes kept in memory against MaxFormMemory.
func (u *upload) keep(n int64) error {
	u.kept += n
	if u.lim.maxMemory > 0 && u.kept > u.lim.maxMemory {
		return u.fail(fmt.Errorf("flasky: the form's text fields are over MaxFormMemory (%d bytes): %w", u.lim.maxMemory, errTooLarge))
	}
	return nil
}

// readField reads a text field into the form.
func (u *upload) readField(name string, p *multipart.Part) error {
	var rd io.Reader = p
	if u.lim.maxMemory > 0 {
		rd = io.LimitReader(p, max(u.lim.maxMemory-u.kept, 0)+1)
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		return u.fail(clientError{err})
	}
	if err := u.keep(int64(len(name) + len(b))); err != nil {
		return err
	}
	u.form[name] = append(u.form[name], string(b))
	return nil
}

func headerSize(h map[string][]string) int64 {
	n := 0
	for k, vs := range h {
		n += len(k)
		for _, v := range vs {
			n += len(v)
		}
	}
	return int64(n)
}

// parseAll reads the rest of the body.
func (u *upload) parseAll() error {
	for !u.done {
		if _, err := u.step(); err != nil {
			return err
		}
	}
	return u.err
}

// spool reads the file the body is positioned on into memory (a small
// one) or a temporary file, so that it stays readable once the body has
// moved on. It is Go's own multipart.ReadForm that stores it, given a
// one-part body around the part: the file gets a *multipart.FileHeader
// that net/http's r.FormFile can return, in os.TempDir (set TMPDIR to
// move it), and removed when the request ends.
func (u *upload) spool(f *File) error {
	p := f.part
	f.part, u.cur = nil, nil
	mem := min(int64(spoolFileMemory), spoolTotalMemory-u.inMemory)
	boundary := rand.Text() + rand.Text() // never in the data: nobody knows it
	var head bytes.Buffer
	head.WriteString("--" + boundary + "\r\n")
	for k, vs := range p.Header {
		for _, v := range vs {
			head.WriteString(k + ": " + v + "\r\n")
		}
	}
	head.WriteString("\r\n")
	one := io.MultiReader(&head, partReader{p}, strings.NewReader("\r\n--"+boundary+"--\r\n"))
	form, err := multipart.NewReader(one, boundary).ReadForm(max(mem, 0))
	if err != nil {
		f.err = u.fail(err) // a clientError for the body's faults, else the disk's
		return f.err
	}
	var fh *multipart.FileHeader
	for _, fhs := range form.File {
		fh = fhs[0]
	}
	if fh == nil {
		form.RemoveAll()
		f.err = u.fail(errors.New("flasky: spooling a file part lost it"))
		return f.err
	}
	u.spools = append(u.spools, form)
	f.fh, f.size = fh, fh.Size
	if fh.Size <= mem {
		u.inMemory += fh.Size
	}
	return nil
}

// partReader marks the errors of a part's body as the client's.
type partReader struct{ p *multipart.Part }

func (r partReader) Read(b []byte) (int, error) {
	n, err := r.p.Read(b)
	if err != nil && err != io.EOF {
		err = clientError{err}
	}
	return n, err
}

// stream writes the file the body is positioned on to w, in large
// writes, and returns its size. A read error fails the upload; a write
// error is returned as it is (the server's).
func (u *upload) stream(f *File, w io.Writer) (int64, error) {
	p := f.part
	f.part, u.cur = nil, nil
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	buf := *bp
	var total int64
	for {
		n, rerr := fill(p, buf)
		if n > 0 {
			if _, err := w.Write(buf[:n]); err != nil {
				f.err = u.fail(err)
				return total, err
			}
			total += int64(n)
		}
		if rerr == io.EOF {
			return total, nil
		}
		if rerr != nil {
			f.err = u.fail(clientError{rerr})
			return total, f.err
		}
	}
}

// fill reads into buf until it is full or the reader fails.
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// release ends the upload with its request: files opened by File.Open
// are closed and temporary files removed.
func (u *upload) release() {
	if u.closed {
		return
	}
	u.closed, u.done = true, true
	if u.err == nil {
		u.err = errRequestEnded
	}
	for _, f := range u.opened {
		_ = f.Close()
	}
	for _, form := range u.spools {
		_ = form.RemoveAll()
	}
	if u.shared {
		activeUploads.Delete(u.req)
	}
	if u.body != nil {
		u.body.Reset(nil)
		bodyReaders.Put(u.body)
	}
	u.body, u.mr, u.cur, u.opened, u.spools = nil, nil, nil, nil, nil
	u.meter.r = nil
}

// errPartHeader is a part whose boundary line and headers are over
// maxPartHeader bytes.
var errPartHeader = fmt.Errorf("flasky: a part's headers are over %d bytes: %w", maxPartHeader, errTooLarge)

// meter passes the body to mime/multipart. While NextPart runs it allows
// at most budget bytes, so that a part's headers cannot fill the memory.
type meter struct {
	r      io.Reader
	budget int64
	on     bool
}

func (m *meter) Read(p []byte) (int, error) {
	if m.on {
		if m.budget <= 0 {
			return 0, errPartHeader
		}
		if int64(len(p)) > m.budget {
			p = p[:m.budget]
		}
	}
	n, err := m.r.Read(p)
	if m.on {
		m.budget -= int64(n)
	}
	if err != nil && err != io.EOF {
		err = clientError{err}
	}
	return n, err
}
