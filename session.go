// The session is a cookie signed with the app's secret key, as Flask's
// default session is.

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
	"log/slog"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Session holds the values of one client's session, like Flask's session
// object. It lives in a cookie signed with [Config.SecretKey]: the client
// can read it (the values are only base64-encoded JSON) but cannot change
// it, so keep secrets out of it and keep only small values in it
// (browsers drop cookies over about 4 KB).
//
// Values set in this request keep their Go type; values read back from
// the cookie are what encoding/json decodes: string, bool, json.Number,
// []any, map[string]any. [Session.String], [Session.Int] and
// [Session.Bool] read either kind.
//
// A Session belongs to one request, like its [Ctx].
type Session struct {
	values    map[string]any
	modified  bool
	hadCookie bool
	// save is (*Ctx).saveSession. The response writer calls it through
	// this field, set by Ctx.Session, so a program that never opens a
	// session does not link encoding/json (binary size).
	save func(*Ctx)
}

// sessionSalt separates the session's signing key from other uses of the
// secret key.
const sessionSalt = "flasky.session"

// permanentKey marks a permanent session in the cookie, as Flask does.
const permanentKey = "_permanent"

// errNoSecretKey is returned by Ctx.Session when the app has no key.
var errNoSecretKey = errors.New("flasky: the session is unavailable because Config.SecretKey is empty: set it to a long random value kept out of the source")

// Session returns the request's session, read from its signed cookie on
// the first call. A cookie that is missing, tampered with, signed with an
// unknown key or older than [Config.SessionLifetime] gives an empty
// session. Changes are saved in the response's Set-Cookie when the
// headers are sent, and a response that read the session says
// Vary: Cookie, so caches never hand one client's page to another.
//
// The error is non-nil only when the app has no [Config.SecretKey].
func (c *Ctx) Session() (*Session, error) {
	if c.sess != nil {
		return c.sess, nil
	}
	cfg := &c.app.Config
	if len(cfg.SecretKey) == 0 {
		return nil, errNoSecretKey
	}
	s := &Session{save: (*Ctx).saveSession}
	if ck, err := c.Request.Cookie(cfg.sessionCookieName()); err == nil {
		s.hadCookie = true
		s.values = cfg.openSession(ck.Value, time.Now())
	}
	if s.values == nil {
		s.values = map[string]any{}
	}
	c.sess = s
	return s, nil
}

// snapshot returns a copy of the session whose values are its own, for
// Ctx.Copy.
func (s *Session) snapshot() *Session {
	cp := *s
	cp.values = maps.Clone(s.values)
	return &cp
}

// Get returns the value stored under key, or nil.
func (s *Session) Get(key string) any { return s.values[key] }

// Has reports whether key is in the session.
func (s *Session) Has(key string) bool {
	_, ok := s.values[key]
	return ok
}

// String returns the value under key if it is a string, else "".
func (s *Session) String(key string) string {
	v, _ := s.values[key].(string)
	return v
}

// Int returns the value under key if it is a whole number, else 0.
func (s *Session) Int(key string) int {
	switch v := s.values[key].(type) {
	case int:
		return v
	case json.Number:
		n, _ := strconv.Atoi(string(v))
		return n
	case int64:
		return int(v)
	case float64:
		if v == float64(int(v)) {
			return int(v)
		}
	}
	return 0
}

// Bool returns the value under key if it is a bool, else false.
func (s *Session) Bool(key string) bool {
	v, _ := s.values[key].(bool)
	return v
}

// Set stores v under key. v must encode as JSON, since the cookie holds
// JSON: a value that does not (a channel, a func) is an error naming the
// key, and the session is left as it was.
func (s *Session) Set(key string, v any) error {
	if _, err := json.Marshal(v); err != nil {
		return fmt.Errorf("flasky: session value for %q: %w", key, err)
	}
	s.values[key] = v
	s.modified = true
	return nil
}

// Delete removes key (Flask's session.pop).
func (s *Session) Delete(key string) {
	if _, ok := s.values[key]; ok {
		delete(s.values, key)
		s.modified = true
	}
}

// Clear removes every value; the response deletes the cookie.
func (s *Session) Clear() {
	if len(s.values) > 0 {
		clear(s.values)
		s.modified = true
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
// [Config.SessionLifetime] (Flask's session.permanent = True). A session
// that is not permanent is a browser-session cookie; either way the
// server refuses a cookie signed longer ago than SessionLifetime.
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
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var values map[string]any
	if dec.Decode(&values) != nil || dec.More() {
		return nil
	}
	return values
}

// maxCookieBytes is the size over which browsers drop a cookie.
const maxCookieBytes = 4093

// cookiePath is the session cookie's path: the prefix the app is
// reached under ([Ctx.ScriptRoot]), or "/".
func (c *Ctx) cookiePath() string {
	if p := c.ScriptRoot(); p != "" {
		return p
	}
	return "/"
}

// saveSession writes the session's cookie and Vary header before the
// response's headers go out.
func (c *Ctx) saveSession() {
	s := c.sess
	h := c.rw.Header()
	if !hasToken(h.Values("Vary"), "Cookie") {
		h.Add("Vary", "Cookie")
	}
	if !s.modified {
		return
	}
	cfg := &c.app.Config
	ck := &http.Cookie{
		Name:     cfg.sessionCookieName(),
		Path:     c.cookiePath(),
		HttpOnly: true,
		Secure:   cfg.SessionCookieSecure,
		SameSite: http.SameSiteLaxMode,
	}
	if cfg.SessionCookieSameSite != 0 {
		ck.SameSite = cfg.SessionCookieSameSite
	}
	if len(s.values) == 0 {
		if !s.hadCookie {
			return
		}
		ck.MaxAge = -1 // delete it
		http.SetCookie(c.rw.w, ck)
		return
	}
	now := time.Now()
	v, err := cfg.sealSession(s.values, now)
	if err != nil {
		// Set checked every value; only one changed after it can fail.
		c.app.Logger.Error(err.Error(), slog.String("path", c.Request.URL.Path))
		return
	}
	ck.Value = v
	if s.Permanent() {
		ck.Expires = now.Add(cfg.sessionLifetime()).UTC()
	}
	if n := len(ck.String()); n > maxCookieBytes {
		c.app.Logger.Warn(fmt.Sprintf("flasky: the %q cookie is %d bytes, over the %d browsers keep: the session will be lost; store less in it", ck.Name, n, maxCookieBytes))
	}
	http.SetCookie(c.rw.w, ck)
}

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
