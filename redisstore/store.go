// Package redisstore keeps flasky's sessions in Redis, as Flask-Session's
// RedisSessionInterface (SESSION_TYPE = "redis") does for Flask: the
// cookie holds only a random session id signed with the app's
// [flasky.Config.SecretKey], and the values live in Redis, so a session
// can be ended on the server (logout, "log out everywhere") and every
// instance of the app behind a load balancer sees the same sessions.
//
// Switching from the signed cookie is one setting:
//
//	store := redisstore.New(redisstore.Options{Addr: "127.0.0.1:6379", UserKey: "user"})
//	defer store.Close()
//	app.SessionInterface = store
//
// What it does:
//
//   - The cookie is ID.SIGNATURE: 32 random bytes (crypto/rand) in
//     base64url, and an HMAC-SHA256 of the id with a key derived from
//     SecretKey (keys in SecretKeyFallbacks are still read). A cookie that
//     was not signed with the app's key is refused without asking Redis;
//     an id Redis does not know (expired, ended) gives a new, empty
//     session, and the id is never reused.
//   - The session is saved under a new id when it is emptied and filled
//     again (Flask's login: session.clear() then session["user"] = ...),
//     when the handler calls [flasky.Session.Regenerate], and when the
//     value under UserKey changes: a session id planted in a browser
//     before a login is worthless after it (session fixation).
//   - A session saved empty ([flasky.Session.Clear], a logout) is deleted
//     in Redis, so a copy of its cookie is refused from then on.
//   - With UserKey set, each user's session ids are kept in a Redis
//     sorted set, scored by when each expires (ids of expired sessions
//     are dropped whenever the user's set is written), and
//     [Store.EndUserSessions] deletes all of them at once ("log out
//     everywhere"), whatever instance wrote them.
//   - Keys expire after [flasky.Config.SessionLifetime]; a permanent
//     session is refreshed by every request that opens it while
//     Config.SessionRefreshEachRequest is on, in the same round trip
//     that reads it.
//   - Round trips: a request that does not open the session makes none;
//     one that reads it makes one (GET, or a script that reads and
//     refreshes); one that changes it makes one more, a MULTI/EXEC
//     pipeline (a request that writes a session it did not bring makes
//     only that one).
//   - Every call is bounded by Options.Timeout. An error (Redis down or
//     too slow) makes flasky answer 503 and log a line naming
//     *redisstore.Store and the Redis address; requests that do not open
//     the session are not affected, and the client reconnects by itself
//     when Redis is back.
//
// One Redis server (or a primary behind Sentinel) holds all the keys:
// EndUserSessions and the refresh touch keys that a Redis Cluster would
// spread over several nodes.
package redisstore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/flasky-go/flasky"
	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Options configure a [Store].
type Options struct {
	// Addr is the Redis server's host:port, for the client New makes
	// when Client is nil. Default "127.0.0.1:6379".
	Addr string
	// Client is used instead of a client made from Addr: one with a
	// password, TLS, a database number, or Sentinel. Close does not
	// close it. Calls are bounded by Timeout through their context; set
	// the client's ContextTimeoutEnabled so that a read in progress is
	// cut then too (otherwise its ReadTimeout bounds it).
	Client redis.UniversalClient
	// KeyPrefix starts every key the store writes; default "flasky:".
	// Sessions are PREFIX+"s:"+ID, users' sorted sets of ids
	// PREFIX+"u:"+USER.
	KeyPrefix string
	// Timeout bounds each call to Redis, dialing included; default 1s.
	// Past it the request is answered 503.
	Timeout time.Duration
	// UserKey names the session value that identifies the user ("user"
	// for s.Set("user", name)). With it, the store keeps each user's
	// session ids, for [Store.EndUserSessions], and gives the session a
	// new id when the value changes. A value that is not a string is
	// taken as its JSON text (a user id 42 is "42").
	UserKey string
}

// Store is a [flasky.SessionInterface] that keeps sessions in Redis. Set
// it as app.SessionInterface. It is safe for concurrent use.
type Store struct {
	client  redis.UniversalClient
	own     bool // New made the client: Close closes it
	prefix  string
	timeout time.Duration
	userKey string
	where   string // for errors: "redis at 127.0.0.1:6379"
}

// New returns a store on the Redis server at o.Addr, or on o.Client.
// It does not connect: the first request that opens a session does (and
// [Store.Ping] checks the server at start).
func New(o Options) *Store {
	st := &Store{
		client:  o.Client,
		prefix:  o.KeyPrefix,
		timeout: o.Timeout,
		userKey: o.UserKey,
	}
	if st.prefix == "" {
		st.prefix = "flasky:"
	}
	if st.timeout <= 0 {
		st.timeout = time.Second
	}
	if st.client == nil {
		addr := o.Addr
		if addr == "" {
			addr = "127.0.0.1:6379"
		}
		st.client = redis.NewClient(&redis.Options{
			Addr: addr,
			// Every network step is bounded, and so is the whole call
			// through its context (ContextTimeoutEnabled).
			DialTimeout:           st.timeout,
			ReadTimeout:           st.timeout,
			WriteTimeout:          st.timeout,
			PoolTimeout:           st.timeout,
			ContextTimeoutEnabled: true,
			// A refused connection fails the call at once; the call's
			// own retries (on a connection Redis closed when it
			// restarted) dial again.
			DialerRetries: 1,
			// Neither is needed, and the first is refused by Redis < 7.2.
			DisableIdentity:          true,
			MaintNotificationsConfig: &maintnotifications.Config{Mode: maintnotifications.ModeDisabled},
		})
		st.own = true
		st.where = "redis at " + addr
	} else {
		st.where = "redis"
		if c, ok := o.Client.(*redis.Client); ok {
			st.where = "redis at " + c.Options().Addr
		}
	}
	return st
}

// Client returns the Redis client the store uses.
func (st *Store) Client() redis.UniversalClient { return st.client }

// Close closes the client that New made from Options.Addr; a client
// given in Options.Client is left open.
func (st *Store) Close() error {
	if st.own {
		return st.client.Close()
	}
	return nil
}

// Ping checks that Redis answers, within the store's timeout: for a
// program's start, or a health check.
func (st *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, st.timeout)
	defer cancel()
	return st.fail("PING", st.client.Ping(ctx).Err())
}

// stateKey is where OpenSession leaves, with [flasky.Ctx.Set], what
// SaveSession must know of the session as it was opened.
const stateKey = "flasky-go/redisstore"

// opened is the session as the request brought it.
type opened struct {
	id   string // "" when the request had no valid session
	user string // the value under UserKey, "" for none
}

func (st *Store) sessionKey(id string) string  { return st.prefix + "s:" + id }
func (st *Store) userSetPrefix() string        { return st.prefix + "u:" }
func (st *Store) userKeyOf(user string) string { return st.userSetPrefix() + user }

// OpenSession reads the session whose signed id the request's cookie
// holds: no call to Redis without a validly signed cookie, one call
// otherwise.
func (st *Store) OpenSession(c *flasky.Ctx) (*flasky.Session, error) {
	cfg := &c.App().Config
	if len(cfg.SecretKey) == 0 {
		return nil, errNoSecretKey()
	}
	id, ok := verify(cfg, c.SessionCookie())
	if !ok {
		return flasky.NewSession(), nil
	}
	ctx, cancel := st.callContext(c)
	defer cancel()
	var v string
	var err error
	if cfg.SessionRefreshEachRequest {
		ttl := lifetime(cfg)
		v, err = openScript.Run(ctx, st.client, []string{st.sessionKey(id)},
			ttl.Milliseconds(), st.userSetPrefix(), id, time.Now().Add(ttl).UnixMilli()).Text()
	} else {
		v, err = st.client.Get(ctx, st.sessionKey(id)).Result()
	}
	if errors.Is(err, redis.Nil) {
		return flasky.NewSession(), nil // expired or ended: never reuse the id
	}
	if err != nil {
		return nil, st.fail("read session", err)
	}
	_, user, data, ok := parseValue(v)
	if !ok {
		return flasky.NewSession(), nil
	}
	s, err := flasky.LoadSession(id, []byte(data))
	if err != nil {
		return flasky.NewSession(), nil
	}
	c.Set(stateKey, &opened{id: id, user: user})
	return s, nil
}

// SaveSession writes the session in one MULTI/EXEC, sets the cookie,
// and deletes both for a session saved empty. A session that was only
// refreshed (Config.SessionRefreshEachRequest) was refreshed in Redis
// when it was opened: only its cookie is sent again.
func (st *Store) SaveSession(c *flasky.Ctx, s *flasky.Session) error {
	cfg := &c.App().Config
	was, _ := c.Get(stateKey).(*opened)
	if was == nil {
		was = &opened{}
	}
	if s.Empty() {
		if was.id != "" {
			if err := st.delete(c, was); err != nil {
				return err
			}
		}
		if c.SessionCookie() != "" {
			c.SetSessionCookie("")
		}
		return nil
	}
	if !s.Modified() {
		if was.id != "" {
			c.SetSessionCookie(sign(cfg.SecretKey, was.id))
		}
		return nil
	}
	data, err := s.Encode()
	if err != nil {
		return fmt.Errorf("redisstore: session values do not encode as JSON: %w", err)
	}
	user := st.userOf(s)
	id := was.id
	fresh := id == "" || s.Regenerated() || user != was.user
	if fresh {
		if id, err = newID(); err != nil {
			return err
		}
	}
	ttl := lifetime(cfg)
	now := time.Now()
	value := encodeValue(s.Permanent(), user, data)

	ctx, cancel := st.callContext(c)
	defer cancel()
	var set *redis.StatusCmd
	_, err = st.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		if fresh {
			set = p.Set(ctx, st.sessionKey(id), value, ttl)
			if was.id != "" {
				p.Del(ctx, st.sessionKey(was.id))
				if was.user != "" {
					p.ZRem(ctx, st.userKeyOf(was.user), was.id)
				}
			}
		} else {
			// XX: a session ended meanwhile (a logout in another tab,
			// EndUserSessions) is not brought back.
			set = p.SetArgs(ctx, st.sessionKey(id), value, redis.SetArgs{Mode: "XX", TTL: ttl})
		}
		if user != "" {
			uk := st.userKeyOf(user)
			p.ZAdd(ctx, uk, redis.Z{Score: float64(now.Add(ttl).UnixMilli()), Member: id})
			// Ids of sessions that expired (a minute of clock skew
			// between instances forgiven).
			p.ZRemRangeByScore(ctx, uk, "-inf", "("+strconv.FormatInt(now.Add(-time.Minute).UnixMilli(), 10))
			p.PExpire(ctx, uk, ttl)
		}
		return nil
	})
	if errors.Is(err, redis.Nil) && set != nil && errors.Is(set.Err(), redis.Nil) {
		// Ended while this request ran: what it changed goes with it.
		c.SetSessionCookie("")
		return nil
	}
	if err != nil {
		return st.fail("write session", err)
	}
	c.SetSessionCookie(sign(cfg.SecretKey, id))
	return nil
}

// delete removes a session that was saved empty, and its id from its
// user's sorted set.
func (st *Store) delete(c *flasky.Ctx, was *opened) error {
	ctx, cancel := st.callContext(c)
	defer cancel()
	var err error
	if was.user == "" {
		err = st.client.Del(ctx, st.sessionKey(was.id)).Err()
	} else {
		_, err = st.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Del(ctx, st.sessionKey(was.id))
			p.ZRem(ctx, st.userKeyOf(was.user), was.id)
			return nil
		})
	}
	return st.fail("delete session", err)
}

// callContext bounds a call made for a request by the store's timeout.
// It keeps the request's values but not its cancellation: a client that
// hangs up does not cut a write half way (a logout still ends the
// session) nor turn into a log line about the store.
func (st *Store) callContext(c *flasky.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(c.Context()), st.timeout)
}

// EndUserSessions deletes every session of user, on every instance that
// shares the Redis server ("log out everywhere"), in one atomic call, and
// returns how many there were. A cookie of any of them is refused from
// then on. It needs Options.UserKey.
func (st *Store) EndUserSessions(ctx context.Context, user string) (int, error) {
	if st.userKey == "" {
		return 0, errors.New("redisstore: EndUserSessions needs Options.UserKey, the session value that names the user")
	}
	if user == "" {
		return 0, errors.New("redisstore: EndUserSessions: no user given")
	}
	ctx, cancel := context.WithTimeout(ctx, st.timeout)
	defer cancel()
	n, err := endScript.Run(ctx, st.client, []string{st.userKeyOf(user)}, st.prefix+"s:").Int()
	if err != nil {
		return 0, st.fail("end sessions", err)
	}
	return n, nil
}

// UserOf returns the user the session belongs to, the value under
// Options.UserKey as the store indexes it ("" when there is none).
func (st *Store) UserOf(s *flasky.Session) string { return st.userOf(s) }

func (st *Store) userOf(s *flasky.Session) string {
	if st.userKey == "" {
		return ""
	}
	switch v := s.Get(st.userKey).(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return string(v)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// fail wraps a Redis error with the store's name and address, which
// flasky's 503 log line shows; nil stays nil.
func (st *Store) fail(op string, err error) error {
	if err == nil {
		return nil
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("redisstore: %s: %s: no answer within %v (Options.Timeout): %w", st.where, op, st.timeout, err)
	}
	return fmt.Errorf("redisstore: %s: %s: %w", st.where, op, err)
}

// errNoSecretKey ends a request as the signed cookie does without a key:
// a 500 whose log line names the setting (a configuration mistake, not a
// store that is down).
func errNoSecretKey() error {
	return &flasky.HTTPError{Code: 500,
		Err: errors.New("redisstore: the session is unavailable because Config.SecretKey is empty: the session id cookie is signed with it; set it to a long random value, the same in every instance")}
}

// lifetime is Config.SessionLifetime, or flasky's default of 31 days.
func lifetime(cfg *flasky.Config) time.Duration {
	if cfg.SessionLifetime > 0 {
		return cfg.SessionLifetime
	}
	return 31 * 24 * time.Hour
}

// The value kept under a session's key is a header, then the values as
// JSON ([flasky.Session.Encode]): 'p' for a permanent session or 'n',
// the length of the user's name in decimal, ':', the name. The open
// script reads the header to refresh a permanent session and its user's
// set without decoding the JSON.
func encodeValue(permanent bool, user string, data []byte) string {
	var b strings.Builder
	b.Grow(len(data) + len(user) + 8)
	if permanent {
		b.WriteByte('p')
	} else {
		b.WriteByte('n')
	}
	b.WriteString(strconv.Itoa(len(user)))
	b.WriteByte(':')
	b.WriteString(user)
	b.Write(data)
	return b.String()
}

func parseValue(v string) (permanent bool, user, data string, ok bool) {
	if len(v) < 3 || (v[0] != 'p' && v[0] != 'n') {
		return false, "", "", false
	}
	colon := strings.IndexByte(v, ':')
	if colon < 2 {
		return false, "", "", false
	}
	n, err := strconv.Atoi(v[1:colon])
	if err != nil || n < 0 || colon+1+n > len(v) {
		return false, "", "", false
	}
	return v[0] == 'p', v[colon+1 : colon+1+n], v[colon+1+n:], true
}

// openScript reads a session and, when it is permanent, pushes back its
// expiry, its entry in its user's sorted set and the set's own expiry:
// Config.SessionRefreshEachRequest in the read's round trip. KEYS[1] is
// the session, ARGV[1] the lifetime in milliseconds, ARGV[2] the prefix
// of users' sets, ARGV[3] the session's id, ARGV[4] its new expiry in
// Unix milliseconds.
var openScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and string.byte(v, 1) == 112 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  local c = string.find(v, ':', 2, true)
  local n = c and tonumber(string.sub(v, 2, c - 1))
  if n and n > 0 then
    local u = ARGV[2] .. string.sub(v, c + 1, c + n)
    redis.call('ZADD', u, ARGV[4], ARGV[3])
    redis.call('PEXPIRE', u, ARGV[1])
  end
end
return v
`)

// endScript deletes every session in a user's sorted set, then the set,
// and returns how many sessions it deleted. KEYS[1] is the set, ARGV[1]
// the prefix of session keys.
var endScript = redis.NewScript(`
local n = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  n = n + redis.call('DEL', ARGV[1] .. id)
end
redis.call('DEL', KEYS[1])
return n
`)

// Cookies: ID.SIGNATURE, base64url without padding.

var b64 = base64.RawURLEncoding

// idLen is the length of an id: 32 random bytes in base64url.
const idLen = 43

func newID() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("redisstore: no random session id: %w", err)
	}
	return b64.EncodeToString(b[:]), nil
}

// salt separates the cookie's signing key from other uses of SecretKey
// (the signed-cookie sessions use another).
const salt = "flasky.redisstore.session-id"

func mac(secret []byte, id string) []byte {
	kdf := hmac.New(sha256.New, secret)
	kdf.Write([]byte(salt))
	m := hmac.New(sha256.New, kdf.Sum(nil))
	m.Write([]byte(id))
	return m.Sum(nil)
}

func sign(secret []byte, id string) string {
	return id + "." + b64.EncodeToString(mac(secret, id))
}

// verify returns the id of a cookie signed with SecretKey or one of
// SecretKeyFallbacks.
func verify(cfg *flasky.Config, cookie string) (string, bool) {
	id, sigText, ok := strings.Cut(cookie, ".")
	if !ok || len(id) != idLen {
		return "", false
	}
	sig, err := b64.DecodeString(sigText)
	if err != nil || len(sig) != sha256.Size {
		return "", false
	}
	if hmac.Equal(sig, mac(cfg.SecretKey, id)) {
		return id, true
	}
	for _, k := range cfg.SecretKeyFallbacks {
		if len(k) > 0 && hmac.Equal(sig, mac(k, id)) {
			return id, true
		}
	}
	return "", false
}
