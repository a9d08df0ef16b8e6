// The session is a cookie signed with the app's secret key, as Flask's
// default session is; a SessionInterface can keep it elsewhere.

package flasky

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Session holds the values of one client's session, like Flask's session
// object. By default it lives in a cookie signed with [Config.SecretKey]
// ([SecureCookieSessionInterface]): the client can read it (the values
// are only base64-encoded JSON) but cannot change it, so keep secrets out
// of it and keep only small values in it (browsers drop cookies over
// about 4 KB). [App.SessionInterface] can keep sessions on a server
// instead.
//
// Values are kept as JSON keeps them, from the moment they are set: a
// value reads the same in the request that set it as in the next ones.
// [Session.Get] returns string, bool, json.Number, []any, map[string]any
// or nil; [Session.String], [Session.Int], [Session.Float] and
// [Session.Bool] read them as Go values, so s.Set("n", int32(8)) then
// s.Int("n") is 8 before and after the cookie's round trip, and a named
// string type reads back with String.
//
// A Session belongs to one request, like its [Ctx].
type Session struct {
	values     map[string]any
	id         string
	modified   bool
	regenerate bool
	hadCookie  bool // for SecureCookieSessionInterface: the request had one
	si         SessionInterface
	// save is (*Ctx).saveSession until the session is saved. The
	// response writer calls it through this field, set by Ctx.Session,
	// so a program that never opens a session links none of the session
	// code (binary size).
	save func(*Ctx) bool
}

// SessionInterface opens and saves sessions, as Flask's
// SessionInterface does: [SecureCookieSessionInterface] keeps the values
// in a signed cookie; a server-side store (Redis, a database) keeps them
// under an id that the cookie holds. Set one in [App.SessionInterface].
//
// OpenSession is called by the first [Ctx.Session] of a request. It
// returns the client's session, [LoadSession] with the id and the data
// the store kept, or [NewSession] when the request has none (no cookie,
// an unknown, expired or forged id: never take an id from the client
// that the store does not know, so nobody can choose another's id).
//
// SaveSession is called once, before the response's headers go out, when
// the session must be written: it was changed ([Session.Modified]), or it
// is permanent and Config.SessionRefreshEachRequest is on. It writes the
// values ([Session.Encode]) and sets the cookie with
// [Ctx.SetSessionCookie]. A session that is [Session.Empty] was cleared:
// delete what the store kept and the cookie. A session whose
// [Session.Regenerated] is true must be saved under a new id, and the old
// one deleted: [Session.Regenerate] asks for it on login (against session
// fixation), and [Session.Clear] does it by default, so Flask's login
// pattern, session.clear() then filling it, gets a new id. A store that
// keeps an index from each user to their session ids (written in
// SaveSession) can end every session of a user ("log out everywhere").
//
// An error from either method, such as a store that cannot be reached,
// ends the request with a 503 whose log line names the interface's type
// (or with the *HTTPError returned, as it is); flasky calls neither
// method for a request that does not open the session.
type SessionInterface interface {
	OpenSession(c *Ctx) (*Session, error)
	SaveSession(c *Ctx, s *Session) error
}

// NewSession returns a new, empty session, without an id: what a
// [SessionInterface] opens for a request that has no session.
func NewSession() *Session {
	return &Session{values: map[string]any{}}
}

// LoadSession returns the session a [SessionInterface] kept under id,
// from data written by [Session.Encode] (a JSON object).
func LoadSession(id string, data []byte) (*Session, error) {
	values, err := decodeSessionValues(data)
	if err != nil {
		return nil, fmt.Errorf("flasky: session %q: %w", id, err)
	}
	return &Session{values: values, id: id}, nil
}

// decodeSessionValues decodes a JSON object as the session keeps values.
func decodeSessionValues(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var values map[string]any
	if err := dec.Decode(&values); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("data after the JSON object")
	}
	if values == nil {
		values = map[string]any{}
	}
	return values, nil
}

// Encode returns the session's values as one JSON object, the
// permanent mark and flashed messages included: what a
// [SessionInterface] stores and [LoadSession] reads back. (It is not
// named MarshalJSON so that programs without sessions do not link it.)
func (s *Session) Encode() ([]byte, error) { return json.Marshal(s.values) }

// ID returns the id the [SessionInterface] gave the session ("" for a
// new session, and always for the signed cookie, which needs none).
func (s *Session) ID() string { return s.id }

// Regenerate asks the [SessionInterface] to save the session under a new
// id and drop the old one, as a login should (a session id planted in
// the browser before the login is then worth nothing). [Session.Clear]
// does it too. The signed cookie has no id: every write makes a new
// cookie.
func (s *Session) Regenerate() {
	s.regenerate = true
	s.modified = true
}

// Regenerated reports whether the session is to be saved under a new id
// ([Session.Regenerate], [Session.Clear]).
func (s *Session) Regenerated() bool { return s.regenerate }

// Empty reports whether the session holds nothing, not even the
// permanent mark: a session saved empty is deleted.
func (s *Session) Empty() bool { return len(s.values) == 0 }

// errNoSecretKey is what Ctx.Session panics with when the signed cookie
// has no key to sign with.
var errNoSecretKey = errors.New("flasky: the session is unavailable because Config.SecretKey is empty: set it to a long random value kept out of the source")

// Session returns the request's session, opened on the first call by
// [App.SessionInterface], by default from the signed cookie: a cookie
// that is missing, tampered with, signed with an unknown key or older
// than [Config.SessionLifetime] gives an empty session. Changes are saved
// when the response's headers are sent, and a response that opened the
// session says Vary: Cookie, so caches never hand one client's page to
// another.
//
// Session does not return when the session cannot be had, so a handler
// has no error to check: without [Config.SecretKey] the request ends
// with a 500 and a log line naming the setting and the caller (a
// configuration mistake, found by the first request that uses the
// session, and reported by the [TestClient] in testing mode); when a
// [SessionInterface] fails, such as a store that cannot be reached, the
// request ends with a 503 and a log line naming the store. Any code that
// has a Ctx may call it: hooks, error handlers, template functions.
func (c *Ctx) Session() *Session {
	if c.sess != nil {
		return c.sess
	}
	return c.openSession()
}

// snapshot returns a copy of the session whose values are its own, for
// Ctx.Copy.
func (s *Session) snapshot() *Session {
	cp := *s
	cp.values = maps.Clone(s.values)
	return &cp
}

func (c *Ctx) openSession() *Session {
	si := c.app.SessionInterface
	if si == nil {
		si = SecureCookieSessionInterface{}
	}
	s, err := si.OpenSession(c)
	if err != nil {
		if errors.Is(err, errNoSecretKey) {
			panic(err) // a failure: a 500 with the stack in the log
		}
		panic(&sessionAbort{sessionError(si, "open", err)})
	}
	if s == nil {
		s = NewSession()
	}
	s.si, s.save = si, (*Ctx).saveSession
	c.sess = s
	return s
}

// sessionAbort is what Session panics with when its SessionInterface
// fails: dispatch answers with its error, a 503, without a stack. It is
// an error, so a template function that panics with it fails the render
// with the 503.
type sessionAbort struct{ err *HTTPError }

func (a *sessionAbort) Error() string { return a.err.Error() }
func (a *sessionAbort) Unwrap() error { return a.err }

// sessionError is the 503 for a SessionInterface's error, naming it, or
// the *HTTPError it returned.
func sessionError(si SessionInterface, op string, err error) *HTTPError {
	var he *HTTPError
	if errors.As(err, &he) {
		return he
	}
	return &HTTPError{Code: http.StatusServiceUnavailable,
		Err: fmt.Errorf("flasky: session interface %T could not %s the session: %w", si, op, err)}
}

// Get returns the value stored under key, or nil: a string, bool,
// json.Number, []any or map[string]any, as JSON gives it back (see
// [Session]).
func (s *Session) Get(key string) any { return s.values[key] }

// Has reports whether key is in the session.
func (s *Session) Has(key string) bool {
	_, ok := s.values[key]
	return ok
}

// String returns the value under key if it is text (a string, or a value
// of a named string type when it was set), else "".
func (s *Session) String(key string) string {
	v, _ := s.values[key].(string)
	return v
}

// Int returns the value under key if it is a whole number that fits an
// int (a value of any Go integer type when it was set, or a float without
// a fraction), else 0.
func (s *Session) Int(key string) int {
	n, _ := s.values[key].(json.Number)
	i, err := strconv.Atoi(string(n))
	if err != nil {
		return 0
	}
	return i
}

// Float returns the value under key if it is a number, else 0. A float32
// reads as the float64 of its shortest decimal form (float32(0.1) is
// 0.1), which is what the cookie keeps.
func (s *Session) Float(key string) float64 {
	n, _ := s.values[key].(json.Number)
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return 0
	}
	return f
}

// Bool returns the value under key if it is a bool, else false.
func (s *Session) Bool(key string) bool {
	v, _ := s.values[key].(bool)
	return v
}

// Set stores v under key, as JSON will give it back (see [Session]), as
// Flask's session[key] = v: there is no error to check. v must encode as
// JSON, since the session is kept as JSON; a value that does not (a
// channel, a func) is a bug in the program, so Set panics with an error
// naming the key (a 500 for the request), leaving the session as it was.
func (s *Session) Set(key string, v any) {
	jv, err := jsonValue(v)
	if err != nil {
		panic(fmt.Errorf("flasky: session value for %q: %w", key, err))
	}
	s.values[key] = jv
	s.modified = true
}

// jsonValue returns v as encoding/json decodes its encoding with
// UseNumber; the common kinds without encoding it.
func jsonValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool:
		return v, nil
	case string:
		if utf8.ValidString(x) {
			return x, nil
		}
	case int:
		return json.Number(strconv.Itoa(x)), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// Delete removes key (Flask's session.pop).
func (s *Session) Delete(key string) {
	if _, ok := s.values[key]; ok {
		delete(s.values, key)
		s.modified = true
	}
}

// Clear removes every value; saved empty, the session is deleted. Values
// set after Clear in the same request are saved under a new id, as after
// [Session.Regenerate].
func (s *Session) Clear() {
	if len(s.values) > 0 {
		clear(s.values)
		s.modified = true
		s.regenerate = true
	}
}

// Keys returns the names stored in the session, in no particular order.
func (s *Session) Keys() []string {
	keys := make([]string, 0, len(s.values))
	for k := range s.values {
		if k != permanentKey {
			keys = append(keys, k)
		}
	}
	return keys
}

// SetPermanent makes the cookie outlive the browser session, for
// [Config.SessionLifetime] (Flask's session.permanent = True), counted
// from the last request that opened the session while
// Config.SessionRefreshEachRequest is on. A session that is not
// permanent is a browser-session cookie; either way the server refuses a
// cookie signed longer ago than SessionLifetime.
func (s *Session) SetPermanent(on bool) {
	if s.Permanent() == on {
		return
	}
	if on {
		s.values[permanentKey] = true
	} else {
		delete(s.values, permanentKey)
	}
	s.modified = true
}

// Permanent reports whether the session was made permanent.
func (s *Session) Permanent() bool { return s.Bool(permanentKey) }

// Modified reports whether the session changed in this request.
func (s *Session) Modified() bool { return s.modified }

// sessionSalt separates the session's signing key from other uses of the
// secret key.
const sessionSalt = "flasky.session"

// permanentKey marks a permanent session in the cookie, as Flask does.
const permanentKey = "_permanent"

// SecureCookieSessionInterface is the default [SessionInterface], Flask's
// SecureCookieSessionInterface: the values live in the session cookie,
// payload.time.signature (base64url JSON, the time it was written, and
// an HMAC-SHA256 with a key derived from [Config.SecretKey]; keys in
// Config.SecretKeyFallbacks are still read). It keeps nothing on the
// server, so a cookie stays valid until SessionLifetime ends, even after
// a logout; rotating the secret key without a fallback logs everyone
// out.
type SecureCookieSessionInterface struct{}

// OpenSession reads the signed cookie.
func (SecureCookieSessionInterface) OpenSession(c *Ctx) (*Session, error) {
	cfg := &c.app.Config
	if len(cfg.SecretKey) == 0 {
		return nil, errNoSecretKey
	}
	s := NewSession()
	if ck, err := c.Request.Cookie(cfg.sessionCookieName()); err == nil {
		s.hadCookie = true
		if values := cfg.openSession(ck.Value, time.Now()); values != nil {
			s.values = values
		}
	}
	return s, nil
}

// SaveSession writes the values into a newly signed cookie, or deletes
// the cookie of a session that was emptied.
func (SecureCookieSessionInterface) SaveSession(c *Ctx, s *Session) error {
	if s.Empty() {
		if s.hadCookie {
			c.SetSessionCookie("")
		}
		return nil
	}
	v, err := c.app.Config.sealSession(s.values, time.Now())
	if err != nil {
		return err
	}
	c.SetSessionCookie(v)
	return nil
}

// SessionCookie returns the value of the request's session cookie
// ([Config.SessionCookieName]), or "": where a [SessionInterface] finds
// the session's id.
func (c *Ctx) SessionCookie() string { return c.Cookie(c.app.Config.sessionCookieName()) }

// SetSessionCookie sets the response's session cookie to value with the
// app's settings, as Flask's SessionInterface does: its name, Path
// (Config.SessionCookiePath, or the prefix the app is reached under, or
// "/"), Domain, HttpOnly (on by default), Secure, SameSite (Lax by
// default) and Partitioned from [Config], and an expiry SessionLifetime
// away when the request's session is permanent. An empty value deletes
// the cookie. A cookie over Config.MaxCookieSize (the 4093 bytes
// browsers keep, Flask's MAX_COOKIE_SIZE) is sent with a warning in the
// app's log. For a [SessionInterface]'s SaveSession.
func (c *Ctx) SetSessionCookie(value string) {
	cfg := &c.app.Config
	ck := &http.Cookie{
		Name:        cfg.sessionCookieName(),
		Value:       value,
		Path:        cfg.SessionCookiePath,
		Domain:      cfg.SessionCookieDomain,
		HttpOnly:    cfg.SessionCookieHTTPOnly,
		Secure:      cfg.SessionCookieSecure,
		SameSite:    http.SameSiteLaxMode,
		Partitioned: cfg.SessionCookiePartitioned,
	}
	if ck.Path == "" {
		ck.Path = c.cookiePath()
	}
	if cfg.SessionCookieSameSite != 0 {
		ck.SameSite = cfg.SessionCookieSameSite
	}
	switch {
	case value == "":
		ck.MaxAge = -1 // delete it
	case c.sess != nil && c.sess.Permanent():
		ck.Expires = time.Now().Add(cfg.sessionLifetime()).UTC()
	}
	c.app.warnCookieSize(ck, ", and the session will be lost; store less in it")
	http.SetCookie(c.rw.w, ck)
}

func (cfg *Config) sessionCookieName() string {
	if cfg.SessionCookieName != "" {
		return cfg.SessionCookieName
	}
	return "session"
}

func (cfg *Config) sessionLifetime() time.Duration {
	if cfg.SessionLifetime > 0 {
		return cfg.SessionLifetime
	}
	return 31 * 24 * time.Hour
}

// sessionMAC signs payload.timestamp with a key derived from secret.
func sessionMAC(secret []byte, signed string) []byte {
	kdf := hmac.New(sha256.New, secret)
	kdf.Write([]byte(sessionSalt))
	m := hmac.New(sha256.New, kdf.Sum(nil))
	m.Write([]byte(signed))
	return m.Sum(nil)
}

var b64 = base64.RawURLEncoding

// sealSession encodes the values as payload.timestamp.signature, each
// part base64url, signed with the current secret key.
func (cfg *Config) sealSession(values map[string]any, now time.Time) (string, error) {
	payload, err := json.Marshal(values)
	if err != nil {
		return "", fmt.Errorf("flasky: session values do not encode as JSON: %w", err)
	}
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], uint64(now.Unix()))
	signed := b64.EncodeToString(payload) + "." + b64.EncodeToString(ts[:])
	return signed + "." + b64.EncodeToString(sessionMAC(cfg.SecretKey, signed)), nil
}

// openSession checks a cookie's signature against the secret key and its
// fallbacks and its age against the lifetime, and returns its values, or
// nil when any check fails.
func (cfg *Config) openSession(cookie string, now time.Time) map[string]any {
	i := strings.LastIndexByte(cookie, '.')
	if i < 0 {
		return nil
	}
	signed := cookie[:i]
	sig, err := b64.DecodeString(cookie[i+1:])
	if err != nil {
		return nil
	}
	ok := hmac.Equal(sig, sessionMAC(cfg.SecretKey, signed))
	for _, k := range cfg.SecretKeyFallbacks {
		if ok {
			break
		}
		ok = len(k) > 0 && hmac.Equal(sig, sessionMAC(k, signed))
	}
	if !ok {
		return nil
	}
	payloadPart, tsPart, found := strings.Cut(signed, ".")
	if !found {
		return nil
	}
	ts, err := b64.DecodeString(tsPart)
	if err != nil || len(ts) != 8 {
		return nil
	}
	signedAt := time.Unix(int64(binary.BigEndian.Uint64(ts)), 0)
	// A minute of clock skew between instances is forgiven.
	if now.Sub(signedAt) > cfg.sessionLifetime() || signedAt.Sub(now) > time.Minute {
		return nil
	}
	payload, err := b64.DecodeString(payloadPart)
	if err != nil {
		return nil
	}
	values, err := decodeSessionValues(payload)
	if err != nil {
		return nil
	}
	return values
}

// warnCookieSize logs a warning when ck's Set-Cookie header is over
// Config.MaxCookieSize, as Werkzeug's dump_cookie warns; more is what
// else is lost.
func (a *App) warnCookieSize(ck *http.Cookie, more string) {
	limit := a.Config.MaxCookieSize
	if limit <= 0 {
		return
	}
	if n := len(ck.String()); n > limit {
		a.Logger.Warn(fmt.Sprintf("flasky: the %q cookie is too large: %d bytes, over Config.MaxCookieSize (%d): browsers may drop it%s", ck.Name, n, limit, more))
	}
}

// cookiePath is the session cookie's path: the prefix the app is
// reached under ([Ctx.ScriptRoot]), or "/".
func (c *Ctx) cookiePath() string {
	if p := c.ScriptRoot(); p != "" {
		return p
	}
	return "/"
}

// saveSession runs once, before the response's headers go out: it adds
// Vary: Cookie and has the SessionInterface save the session when it
// must be written. When saving fails it sends the error page (a 503)
// instead of the response and reports false; what the handler writes
// after that is dropped.
func (c *Ctx) saveSession() bool {
	s := c.sess
	s.save = nil
	h := c.rw.Header()
	if vary := h.Values("Vary"); !hasToken(vary, "Cookie") {
		// One header, as Werkzeug adds Cookie to the response's Vary.
		h.Set("Vary", strings.Join(append(vary[:len(vary):len(vary)], "Cookie"), ", "))
	}
	if !s.modified && !(s.Permanent() && c.app.Config.SessionRefreshEachRequest) {
		return true
	}
	err := s.si.SaveSession(c, s)
	if err == nil {
		return true
	}
	e := sessionError(s.si, "save", err)
	clear(h)
	c.buffer, c.kept, c.status = false, false, 0
	c.app.handleError(c, e)
	if !c.rw.wroteHeader {
		c.rw.sendHeader(e.Code)
	}
	c.rw.w = &droppedWriter{w: c.rw.w, h: http.Header{}}
	return false
}

// droppedWriter takes what a handler writes after its response was
// replaced by an error page.
type droppedWriter struct {
	w http.ResponseWriter
	h http.Header
}

func (d *droppedWriter) Header() http.Header         { return d.h }
func (d *droppedWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *droppedWriter) WriteHeader(int)             {}

// Unwrap returns the server's writer, for the access log and
// http.ResponseController.
func (d *droppedWriter) Unwrap() http.ResponseWriter { return d.w }

// hasToken reports whether a comma-separated header lists token.
func hasToken(values []string, token string) bool {
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), token) {
				return true
			}
		}
	}
	return false
}
