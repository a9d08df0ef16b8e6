package flasky

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"weak"

	"github.com/flasky-go/flasky/internal/filename"
)

// Files gives the files of a multipart/form-data request, like Flask's
// request.files. It is the Files field of [Ctx].
//
// The body is read only as far as the handler asks, so a big file is
// never held in memory: [Files.Get] stops at the file it returns, and
// [File.Save] called then writes it straight from the connection to its
// folder. A file the handler reads past (by asking for a later field, for
// [Ctx.Form], or for [Files.List]) is kept in memory when small and
// otherwise in a temporary file in os.TempDir, removed when the request
// ends. The request's limits ([Config.MaxContentLength],
// [Config.MaxFormMemory], [Config.MaxFormParts], or the route's) answer
// 413 when passed.
//
// Read files in the handler that receives the request: not from a
// goroutine, not after the handler returns, and not from a copied Ctx.
// Use c.Files rather than net/http's Request.ParseMultipartForm or
// Request.MultipartReader, which would read the same body.
type Files struct {
	c *Ctx
	u *upload
	// ended is the request whose upload cleanupUploads ended, so that an
	// error handler running after it (a panic's) cannot start another.
	ended weak.Pointer[http.Request]
}

// Get returns the first file sent in field, like request.files[field].
// When the request has no such file (no field of that name, a file input
// left empty, a body that is not multipart/form-data) it returns an
// [HTTPError] 400 whose message names the field, so a handler can return
// it as it is. A body that cannot be read is a 400, a body over a limit a
// 413.
func (files *Files) Get(field string) (*File, error) {
	u, err := files.state()
	if err != nil {
		return nil, err
	}
	if fl := u.files[field]; len(fl) > 0 {
		return fl[0], nil
	}
	for !u.done {
		f, err := u.step()
		if err != nil {
			return nil, err
		}
		if f != nil && f.Field == field {
			return f, nil
		}
	}
	if u.err != nil {
		return nil, u.err
	}
	msg := fmt.Sprintf("The request has no file in field %q.", field)
	if u.why != "" {
		// The program's mistake more often than the client's: say it.
		msg = fmt.Sprintf("The request has no file in field %q: %s.", field, u.why)
	}
	return nil, &HTTPError{Code: http.StatusBadRequest, Message: msg, Err: fmt.Errorf("flasky: no file %q", field)}
}

// List returns every file sent in field, in the order sent (like
// request.files.getlist), or none. It reads the whole body.
func (files *Files) List(field string) ([]*File, error) {
	u, err := files.state()
	if err != nil {
		return nil, err
	}
	if err := u.parseAll(); err != nil {
		return nil, err
	}
	return append([]*File(nil), u.files[field]...), nil
}

// All returns an iterator over every file of the request, of every
// field, in the order the client sent them. Each file is yielded while
// the body is positioned on it, so Save in the loop streams every file of
// an <input type="file" multiple> straight to its folder:
//
//	for f, err := range c.Files.All() {
//		if err != nil {
//			return err
//		}
//		if _, err := f.Save("uploads"); err != nil {
//			return err
//		}
//	}
//
// A file the loop does not save or open is kept, as for a file read past
// (see [Files]). An error ends the iteration.
func (files *Files) All() iter.Seq2[*File, error] {
	return func(yield func(*File, error) bool) {
		u, err := files.state()
		if err != nil {
			yield(nil, err)
			return
		}
		for i := 0; ; i++ {
			for i >= len(u.order) && !u.done {
				if _, err := u.step(); err != nil {
					yield(nil, err)
					return
				}
			}
			if i >= len(u.order) {
				if u.err != nil {
					yield(nil, u.err)
				}
				return
			}
			if !yield(u.order[i], nil) {
				return
			}
		}
	}
}

// errCopiedFiles is what Files of a copied Ctx reports.
var errCopiedFiles = errors.New("flasky: Files cannot be read from a copied Ctx: read the files in the handler, before Copy")

// errRequestEnded is what a File reports once its request has ended.
var errRequestEnded = errors.New("flasky: the request of this upload has ended: its files are gone")

func (files *Files) state() (*upload, error) {
	c := files.c
	if c == nil {
		return nil, errCopiedFiles
	}
	if c.Request == nil {
		return nil, errRequestEnded
	}
	return c.upload(), nil
}

// cleanupUploads ends the request's upload, if it had one: temporary
// files are removed and files from File.Open closed. dispatch calls it
// at the end of every request, after a panic too.
func (c *Ctx) cleanupUploads() {
	if u := c.Files.u; u != nil {
		c.Files.u = nil
		c.Files.ended = weak.Make(u.req)
		u.release()
	}
}

// multipartForm gives Ctx.Form the text fields of a multipart body.
func (c *Ctx) multipartForm() (url.Values, error) {
	if c.copied {
		return c.copiedMultipartForm()
	}
	u := c.upload()
	if err := u.parseAll(); err != nil {
		return url.Values{}, err
	}
	return u.form, nil
}

// copiedMultipartForm reads the form for Ctx.Copy: through the request's
// upload when it has begun, else with net/http's ParseMultipartForm,
// whose result c.Files then takes.
func (c *Ctx) copiedMultipartForm() (url.Values, error) {
	r := c.Request
	if v, ok := activeUploads.Load(r); ok {
		u := v.(*upload)
		if err := u.parseAll(); err != nil {
			return url.Values{}, err
		}
		return u.form, nil
	}
	lim := c.limits()
	if lim.maxContent > 0 {
		if err := lim.declaredTooLarge(r); err != nil {
			return url.Values{}, uploadError(err)
		}
		if r.MultipartForm == nil {
			r.Body = http.MaxBytesReader(nil, r.Body, lim.maxContent)
		}
	}
	err := r.ParseMultipartForm(max(lim.maxMemory, 0))
	if err == nil {
		err = checkFieldSizes(r.PostForm, lim.maxMemory)
	}
	if err != nil {
		return url.Values{}, formError(err)
	}
	if r.PostForm == nil {
		return url.Values{}, nil
	}
	return r.PostForm, nil
}

// File is one uploaded file, from [Files.Get], [Files.List] or
// [Files.All], like Flask's FileStorage. It is valid until the handler
// returns.
type File struct {
	// Field is the name of the form field the file came in ("file1").
	Field string
	// Filename is the file's name exactly as the client sent it. It may
	// hold "../", a Windows path or anything else: never use it as a
	// path. Save makes it safe with [SecureFilename].
	Filename string
	// ContentType is the type the client declared for the file
	// ("image/jpeg"), or "". It is the client's word, not checked.
	ContentType string
	// Header holds the part's MIME headers.
	Header textproto.MIMEHeader

	u     *upload
	part  *multipart.Part       // while the body is positioned on this file
	fh    *multipart.FileHeader // once kept in memory or a temporary file
	saved string                // where the data is, once Save streamed or moved it
	size  int64                 // -1 until read
	err   error
}

// ready makes the file's data readable: a file the body is positioned
// on is read into memory or a temporary file first.
func (f *File) ready() error {
	if f.u.closed {
		return errRequestEnded
	}
	if f.part != nil {
		if err := f.u.spool(f); err != nil {
			return err
		}
	}
	return f.err
}

// Size returns the file's size in bytes. For a file the body is still
// positioned on, it has to read the file first (into a temporary file);
// called after Save, it costs nothing. The error is the one Open would
// return.
func (f *File) Size() (int64, error) {
	if f.saved != "" && f.err == nil {
		return f.size, nil
	}
	if err := f.ready(); err != nil {
		return 0, err
	}
	return f.size, nil
}

// Open opens the file's data for reading. The returned file is closed
// when the request ends if the handler has not closed it. For a file the
// body is still positioned on, Open reads it first (into a temporary
// file), so call Save first when both are wanted.
func (f *File) Open() (multipart.File, error) {
	if err := f.ready(); err != nil {
		return nil, err
	}
	var file multipart.File
	var err error
	switch {
	case f.saved != "":
		file, err = os.Open(f.saved)
	case f.fh != nil:
		file, err = f.fh.Open()
	default:
		err = errors.New("no data")
	}
	if err != nil {
		return nil, fmt.Errorf("flasky: open upload %q: %w", f.Filename, err)
	}
	if osf, ok := file.(*os.File); ok {
		f.u.opened = append(f.u.opened, osf)
	}
	return file, nil
}

// SaveOption changes how [File.Save] saves a file.
type SaveOption func(*saveConfig)

type saveConfig struct {
	unique bool
}

// Unique makes [File.Save] keep a file that already has the name: the
// upload is saved as "name (1).jpg", or "name (2).jpg"..., the first
// free name, as browsers do with downloads. The check and the save are
// one step (a hard link, or an exclusive create on file systems without
// them), so two uploads of the same name at once never overwrite each
// other.
func Unique() SaveOption { return func(c *saveConfig) { c.unique = true } }

// maxUnique is how many names Unique tries.
const maxUnique = 10000

// Save saves the file in folder dir, created if needed, under its
// client's name made safe by [SecureFilename], and returns the path it
// wrote (dir joined with the name). Like Flask's FileStorage.save, it
// replaces a file of the same name unless [Unique] is given. A name that
// nothing safe is left of ("..", "\x00") is an [HTTPError] 400.
//
// Writing is atomic: the data goes to a temporary file in dir
// (".flasky-upload-*.tmp"), renamed to the name once complete. A client
// that disconnects, or a body over a limit (413), leaves nothing behind.
// When the body is positioned on the file (Save called before the
// handler reads anything after it), the data goes straight from the
// connection to that temporary file, and is never all in memory; a file
// already kept in a temporary file is moved there rather than copied when
// both are on the same file system. The saved file gets the permissions
// of a new file (0666 less the umask).
func (f *File) Save(dir string, opts ...SaveOption) (string, error) {
	var cfg saveConfig
	for _, o := range opts {
		o(&cfg)
	}
	name, err := filename.Secure(f.Filename)
	if err != nil {
		return "", &HTTPError{Code: http.StatusBadRequest, Message: "The file name cannot be used.",
			Err: fmt.Errorf("flasky: Save: file name %q: %w", f.Filename, err)}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("flasky: Save: %w", err)
	}
	return f.save(filepath.Join(dir, name), cfg.unique)
}

// SaveAs saves the file at path, a name the program chose, replacing any
// file there, and creates path's folder if needed. It writes atomically,
// as [File.Save] does. Do not build path from [File.Filename]: use Save,
// or [SecureFilename].
func (f *File) SaveAs(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("flasky: SaveAs: %w", err)
	}
	_, err := f.save(path, false)
	return err
}

func (f *File) save(dst string, unique bool) (string, error) {
	if f.u.closed {
		return "", errRequestEnded
	}
	if f.err != nil {
		return "", f.err
	}
	tmp, err := createTemp(filepath.Dir(dst))
	if err != nil {
		return "", fmt.Errorf("flasky: save upload: %w", err)
	}
	tmpName := tmp.Name()
	streamed := f.part != nil
	size, movedFrom, err := f.writeTemp(tmp)
	if err != nil {
		_ = os.Remove(tmpName)
		return "", err
	}
	final, err := commit(tmpName, dst, unique)
	if err != nil {
		err = fmt.Errorf("flasky: save upload: %w", err)
		switch {
		case movedFrom != "":
			_ = os.Rename(tmpName, movedFrom) // give the temporary file back
		case streamed:
			_ = os.Remove(tmpName)
			f.err = fmt.Errorf("flasky: upload %q is lost, its Save failed: %w", f.Filename, err)
		default:
			_ = os.Remove(tmpName)
		}
		return "", err
	}
	f.saved, f.size = final, size
	return final, nil
}

// writeTemp writes the file's data into tmp, an empty file it closes:
// from the body when it is positioned on the file; by renaming the
// temporary file that holds it over tmp when there is one on the same
// file system (movedFrom is then its path, and tmp's permissions are
// kept); else by copying.
func (f *File) writeTemp(tmp *os.File) (size int64, movedFrom string, err error) {
	defer func() {
		if tmp != nil {
			if cerr := tmp.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("flasky: save upload: %w", cerr)
			}
		}
	}()
	if f.part != nil {
		size, err = f.u.stream(f, tmp)
		return size, "", err
	}
	if src, ok := spoolPath(f); ok {
		if st, serr := tmp.Stat(); serr == nil {
			name := tmp.Name()
			_ = tmp.Close()
			tmp = nil
			if os.Rename(src, name) == nil {
				if err := os.Chmod(name, st.Mode().Perm()); err != nil {
					_ = os.Rename(name, src)
					return 0, "", fmt.Errorf("flasky: save upload: %w", err)
				}
				return f.fh.Size, src, nil
			}
			// Another file system (EXDEV): copy.
			if tmp, err = os.OpenFile(name, os.O_WRONLY|os.O_TRUNC, 0); err != nil {
				return 0, "", fmt.Errorf("flasky: save upload: %w", err)
			}
		}
	}
	size, err = f.copyTo(tmp)
	return size, "", err
}

// spoolPath returns the temporary file that holds all of the file's
// data and nothing else, if there is one.
func spoolPath(f *File) (string, bool) {
	if f.saved != "" || f.fh == nil {
		return "", false
	}
	rd, err := f.fh.Open()
	if err != nil {
		return "", false
	}
	defer rd.Close()
	osf, ok := rd.(*os.File)
	if !ok {
		return "", false // in memory, or a section of a shared file
	}
	return osf.Name(), true
}

// copyTo copies the file's data to w.
func (f *File) copyTo(w io.Writer) (int64, error) {
	var rd io.ReadCloser
	var err error
	switch {
	case f.saved != "":
		rd, err = os.Open(f.saved)
	case f.fh != nil:
		rd, err = f.fh.Open()
	default:
		err = errors.New("no data")
	}
	if err != nil {
		return 0, fmt.Errorf("flasky: save upload: %w", err)
	}
	defer rd.Close()
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	n, err := io.CopyBuffer(uploadWriter{w}, rd, *bp)
	if err != nil {
		return n, fmt.Errorf("flasky: save upload: %w", err)
	}
	return n, nil
}

// uploadWriter hides os.File's ReadFrom, so CopyBuffer uses the buffer.
type uploadWriter struct{ io.Writer }

// createTemp creates an empty file in dir under a random hidden name
// that Save never gives, with the permissions os.Create gives (0666 less
// the umask), unlike os.CreateTemp's 0600.
func createTemp(dir string) (*os.File, error) {
	for range 100 {
		name := filepath.Join(dir, ".flasky-upload-"+rand.Text()[:16]+".tmp")
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("flasky: no free temporary name in %s", dir)
}

// commit moves the complete temporary file to its name: a rename, which
// replaces a file of that name, or, for Unique, a hard link to the first
// free name, which never replaces one.
func commit(tmp, dst string, unique bool) (string, error) {
	if !unique {
		return dst, os.Rename(tmp, dst)
	}
	dir, name := filepath.Split(dst)
	for n := range maxUnique {
		cand := filepath.Join(dir, filename.Numbered(name, n))
		err := os.Link(tmp, cand)
		if err == nil {
			_ = os.Remove(tmp)
			return cand, nil
		}
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		// No hard links here: take the name with an exclusive create,
		// then rename over the empty file.
		fl, err := os.OpenFile(cand, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_ = fl.Close()
		if err := os.Rename(tmp, cand); err != nil {
			_ = os.Remove(cand)
			return "", err
		}
		return cand, nil
	}
	return "", fmt.Errorf("no free name for %s after %d tries", dst, maxUnique)
}

// SecureFilename returns a safe form of a file name sent by a client: one
// file name, to be saved inside a folder, that cannot leave the folder,
// hide itself or name a device, on any operating system. It keeps the
// letters and digits of every script ("사진.jpg" stays "사진.jpg", where
// Werkzeug's secure_filename gives "jpg") and removes only what is
// dangerous:
//
//   - everything up to the last '/' or '\' ("../../etc/passwd" is
//     "passwd", "C:\Users\me\a.jpg" is "a.jpg");
//   - control characters and NUL, and the invisible bidirectional
//     controls that disguise "gpj.exe" as "exe.jpg";
//   - leading dots and spaces (".bashrc" is "bashrc": no hidden files,
//     never "." or ".."), trailing dots and spaces;
//   - < > : " | ? * become '_' (Windows forbids them; ':' names an NTFS
//     stream);
//   - Windows device names get a '_' in front ("CON" is "_CON", "nul.txt"
//     is "_nul.txt");
//   - a name over 255 bytes is shortened, keeping its extension, never in
//     the middle of a UTF-8 character.
//
// Hangul sent as conjoining jamo (macOS's decomposed form) is composed
// into syllables as Unicode NFC does; other text is kept as sent, since
// full NFC needs tables outside Go's standard library. When nothing safe
// is left, SecureFilename returns an error wrapping
// [ErrUnsafeFilename].
func SecureFilename(name string) (string, error) {
	s, err := filename.Secure(name)
	if err != nil {
		return "", fmt.Errorf("flasky: file name %q: %w", name, err)
	}
	return s, nil
}

// ErrUnsafeFilename is wrapped by the error of [SecureFilename] for a
// name that nothing safe is left of.
var ErrUnsafeFilename = filename.ErrEmpty
