package imgformat

import (
	"errors"
	"io"
)

// tiffSource gives random access to a TIFF file read from a stream: it
// keeps what it has read, and reads further only as far as an offset
// asks, so an offset past the end costs no more than the file's real
// length.
type tiffSource struct {
	r   io.Reader
	buf []byte
	eof bool
	err error // a read error other than the end of the input
}

// fill reads until the buffer holds end bytes or the input ends.
func (s *tiffSource) fill(end int64) {
	for int64(len(s.buf)) < end && !s.eof {
		chunk := int(min(max(end-int64(len(s.buf)), 32<<10), 1<<20))
		if cap(s.buf)-len(s.buf) < chunk {
			nb := make([]byte, len(s.buf), max(2*cap(s.buf), len(s.buf)+chunk))
			copy(nb, s.buf)
			s.buf = nb
		}
		n, err := io.ReadAtLeast(s.r, s.buf[len(s.buf):len(s.buf)+chunk], 1)
		s.buf = s.buf[:len(s.buf)+n]
		if err != nil {
			s.eof = true
			if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
				s.err = err
			}
		}
	}
}

// at returns n bytes at off, or an error if the file is shorter.
func (s *tiffSource) at(off, n int64, what string) ([]byte, error) {
	if off < 0 || n < 0 || off > 1<<62-n {
		return nil, formatError("tiff", "%s at %d, %d bytes", what, off, n)
	}
	s.fill(off + n)
	if int64(len(s.buf)) < off+n {
		if s.err != nil {
			return nil, s.err
		}
		return nil, formatError("tiff", "%s at %d, %d bytes, past the end of the file (%d bytes)", what, off, n, len(s.buf))
	}
	return s.buf[off : off+n : off+n], nil
}

// section reads the bytes from off to end (or to the end of the file).
type section struct {
	s        *tiffSource
	off, end int64
}

func (r *section) Read(p []byte) (int, error) {
	if r.off >= r.end {
		return 0, io.EOF
	}
	want := min(int64(len(p)), r.end-r.off)
	r.s.fill(r.off + want)
	avail := min(want, int64(len(r.s.buf))-r.off)
	if avail <= 0 {
		if r.s.err != nil {
			return 0, r.s.err
		}
		return 0, io.EOF
	}
	n := copy(p, r.s.buf[r.off:r.off+avail])
	r.off += int64(n)
	return n, nil
}

func (r *section) ReadByte() (byte, error) {
	if r.off >= r.end {
		return 0, io.EOF
	}
	r.s.fill(r.off + 1)
	if int64(len(r.s.buf)) <= r.off {
		if r.s.err != nil {
			return 0, r.s.err
		}
		return 0, io.EOF
	}
	c := r.s.buf[r.off]
	r.off++
	return c, nil
}

// packBits decodes PackBits (TIFF 6.0, section 9): a header byte n, then
// n+1 literal bytes for 0 <= n <= 127, or one byte repeated 1-n times for
// -127 <= n <= -1; -128 is nothing.
type packBits struct {
	r   io.ByteReader
	lit int  // literal bytes still to copy
	rep int  // times b is still to be repeated
	b   byte // the repeated byte
}

func (p *packBits) Read(out []byte) (int, error) {
	n := 0
	for n < len(out) {
		switch {
		case p.lit > 0:
			c, err := p.r.ReadByte()
			if err != nil {
				return n, noEOF(err)
			}
			out[n] = c
			n++
			p.lit--
		case p.rep > 0:
			k := min(p.rep, len(out)-n)
			for i := range k {
				out[n+i] = p.b
			}
			n += k
			p.rep -= k
		default:
			h, err := p.r.ReadByte()
			if err != nil {
				if n > 0 && errors.Is(err, io.EOF) {
					return n, nil
				}
				return n, err
			}
			switch c := int8(h); {
			case c >= 0:
				p.lit = int(c) + 1
			case c != -128:
				b, err := p.r.ReadByte()
				if err != nil {
					return n, noEOF(err)
				}
				p.b, p.rep = b, 1-int(c)
			}
		}
	}
	return n, nil
}
