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
//     in Redis, so a copy of its cookie is refused from then on, by every
//     instance (see "Local copies" below).
//   - With UserKey set, each user's session ids are kept in a Redis
//     sorted set, scored by when each expires (ids of expired sessions
//     are dropped whenever the user's set is written), and
//     [Store.EndUserSessions] deletes all of them at once ("log out
//     everywhere"), whatever instance wrote them.
//   - Keys expire after [flasky.Config.SessionLifetime]. A permanent
//     session is kept alive by the requests that open it while
//     Config.SessionRefreshEachRequest is on: by the write of one that
//     changes it, by the read of one that reads it from Redis, and, for
//     one served from the local copy, by a refresh at most once a
//     minute (or a 64th of the lifetime, if less): its key may expire
//     up to that much before its cookie does.
//   - Every call is bounded by Options.Timeout. An error (Redis down or
//     too slow) makes flasky answer 503 and log a line naming
//     *redisstore.Store and the Redis address; requests that do not open
//     the session are not affected, and the client reconnects by itself
//     when Redis is back.
//
// # Local copies
//
// Each store keeps a copy of up to Options.LocalSessions sessions (10,000
// by default) in memory, so that most requests do not wait for Redis:
//
//   - Round trips: a request that does not open the session makes none;
//     one that reads a session the copy has makes none; one that changes
//     it makes one, a script that writes it (and, for a login, ends the
//     old id and indexes the user); one that reads a session the copy
//     does not have (the first on an instance after it started, or after
//     the session was pushed out of the copy) makes one more, a script
//     that reads it. So a request that reads and writes the session
//     makes one round trip, two the first time an instance meets it.
//   - Every change a store makes runs in a script that takes a version
//     from a counter in Redis (PREFIX+"version") and publishes the change
//     on PREFIX+"changes". Each store listens there on one connection of
//     its own, and Redis delivers the changes in the order it made them:
//     the copies apply them in that order, an older version never over a
//     newer one, and a session read from Redis while a change to it was
//     on its way is not kept. Other instances learn a new or changed
//     session from the message, before their first request for it.
//   - An end (logout, a new login's old id, EndUserSessions) returns only
//     once every store that received it has confirmed it applied it (on
//     the ending store's own channel): when the logout's answer leaves,
//     no instance serves the ended session any more. A store that does
//     not confirm within Options.Timeout is not waited for longer.
//   - A change that does not end a session reaches the other instances
//     as fast as Redis delivers a message, without waiting: a request
//     that reaches another instance in that moment (well under a
//     millisecond on a LAN) sees the session as it was.
//   - The copy serves only while its listener is subscribed. When the
//     connection is lost, or silent past a ping for Options.Timeout, the
//     copy is emptied and every request reads Redis (and gets its 503
//     while Redis is away); when the listener subscribes again, the copy
//     starts empty. An instance cut off from Redis thus stops serving
//     sessions from memory within a second plus Timeout.
//   - Keys changed behind the stores' back (redis-cli DEL, FLUSHALL,
//     eviction under maxmemory) are seen when the copy next asks Redis:
//     within a minute, or a 64th of the lifetime if that is less. End
//     sessions with the store instead.
//   - Options.LocalSessions = -1 turns the copy off: every request that
//     opens a session reads it from Redis (one round trip, two with a
//     change), and nothing can be served stale.
//
// With Redis ACLs, the store's user needs its keys and channels, and the
// commands its scripts run: ~flasky:* &flasky:* +@read +@write
// +@scripting +@pubsub +ping for the default prefix (a Redis 7 user has
// no channel until given one). Without the channels every change is a
// 503 whose log line says the user can't publish to the channel, and
// names that rule; the copy never serves.
//
// One Redis server (or a primary behind Sentinel) holds all the keys:
// EndUserSessions and the scripts touch keys that a Redis Cluster would
// spread over several nodes. The changes channel is for stores only: a
// subscriber that is not one (redis-cli SUBSCRIBE flasky:changes) is
// counted as a receiver that never confirms, and every end then waits
// the full Options.Timeout.
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
	"sync"
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
	// PREFIX+"u:"+USER, the changes counter PREFIX+"version", and
	// changes are published on the channel PREFIX+"changes" (with
	// ":dbN" after it for a client on database N other than 0: channels
	// are the server's). Stores that share sessions share the prefix.
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
	// LocalSessions is how many sessions each instance keeps a copy of
	// in memory, kept current by the changes every store publishes (see
	// the package documentation): 0 means 10,000; a negative number
	// turns the copy off, and every request that opens a session reads
	// it from Redis. Each entry holds a session's stored value (its JSON
	// and a short header): 10,000 sessions of 1 KB take about 14 MB
	// (TestLocalCopyMemory).
	LocalSessions int
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

	local   *localCopy // nil when Options.LocalSessions < 0
	channel string     // where changes are published
	counter string     // the key of the changes counter
	acks    string     // this store's own channel, where listeners confirm ends

	stop     context.CancelFunc
	listened chan struct{} // closed when the listener has returned

	acking sync.WaitGroup // confirmations being sent

	mu        sync.Mutex
	changes   *redis.PubSub            // the listener's, for pings
	pings     map[string]chan struct{} // syncs waiting for their pong
	pingSeq   uint64
	ackReady  bool                // subscribed to acks: confirmations can arrive
	waits     map[uint64]*ackWait // ends waiting for confirmations, by version
	earlyAcks map[uint64]earlyAck // confirmations that came before their wait
}

// ackWait is an end waiting until every listener it reached has applied
// it.
type ackWait struct {
	need, got int
	done      chan struct{}
}

type earlyAck struct {
	n  int
	at time.Time
}

// defaultLocalSessions is Options.LocalSessions when it is 0.
const defaultLocalSessions = 10000

// New returns a store on the Redis server at o.Addr, or on o.Client.
// It does not wait for Redis: it listens for changes in the background
// (reconnecting whenever the connection is lost), and the first request
// that opens a session connects for its call ([Store.Ping] checks the
// server at start). Close stops the listener.
func New(o Options) *Store {
	st := &Store{
		client:    o.Client,
		prefix:    o.KeyPrefix,
		timeout:   o.Timeout,
		userKey:   o.UserKey,
		pings:     make(map[string]chan struct{}),
		waits:     make(map[uint64]*ackWait),
		earlyAcks: make(map[uint64]earlyAck),
	}
	if st.prefix == "" {
		st.prefix = "flasky:"
	}
	if st.timeout <= 0 {
		st.timeout = time.Second
	}
	st.channel = st.prefix + "changes"
	st.counter = st.prefix + "version"
	var me [12]byte
	_, _ = rand.Read(me[:]) // never fails (crypto/rand)
	st.acks = st.prefix + "ack:" + b64.EncodeToString(me[:])
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
			if db := c.Options().DB; db != 0 {
				// Channels are the server's, not a database's: stores
				// on another database must not hear these changes.
				st.channel += ":db" + strconv.Itoa(db)
			}
		}
	}
	if o.LocalSessions >= 0 {
		n := o.LocalSessions
		if n == 0 {
			n = defaultLocalSessions
		}
		st.local = newLocalCopy(n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	st.stop = cancel
	st.listened = make(chan struct{})
	go st.listen(ctx)
	return st
}

// Client returns the Redis client the store uses.
func (st *Store) Client() redis.UniversalClient { return st.client }

// Close stops listening for changes and closes the client that New made
// from Options.Addr; a client given in Options.Client is left open.
func (st *Store) Close() error {
	st.stop()
	st.mu.Lock()
	if st.changes != nil {
		st.changes.Close() // ends the listener's read at once
	}
	st.mu.Unlock()
	<-st.listened
	st.acking.Wait()
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

// listen reads the changes channel into the local copy until Close. The
// copy serves only while the subscription is confirmed; a connection
// that errs, or is silent past a ping and the store's timeout, is
// dropped and made again.
func (st *Store) listen(ctx context.Context) {
	defer close(st.listened)
	const idle = time.Second // silence before a ping
	backoff := 50 * time.Millisecond
	var ps *redis.PubSub
	defer func() {
		if ps != nil {
			ps.Close()
		}
	}()
	pinged := false
	for ctx.Err() == nil {
		if ps == nil {
			ps = st.client.Subscribe(ctx, st.channel, st.acks)
			st.mu.Lock()
			st.changes = ps
			st.mu.Unlock()
		}
		wait := idle
		if pinged {
			wait = st.timeout
		}
		msg, err := ps.ReceiveTimeout(ctx, wait)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && !pinged {
				pinged = ps.Ping(ctx, "alive") == nil
				if pinged {
					continue
				}
			}
			// Lost, or silent past the ping: nothing may be served
			// from the copy until a new subscription is confirmed.
			st.local.off()
			st.mu.Lock()
			st.ackReady = false
			st.mu.Unlock()
			ps.Close()
			ps, pinged = nil, false
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 2*time.Second)
			continue
		}
		backoff, pinged = 50*time.Millisecond, false
		switch m := msg.(type) {
		case *redis.Message:
			if m.Channel == st.acks {
				st.acked(m.Payload)
			} else if ack, version := st.local.message(m.Payload, time.Now()); ack != "" {
				st.confirm(ack, version)
			}
		case *redis.Subscription:
			switch {
			case m.Kind != "subscribe":
			case m.Channel == st.channel:
				st.local.on()
			case m.Channel == st.acks:
				st.mu.Lock()
				st.ackReady = true
				st.mu.Unlock()
			}
		case *redis.Pong:
			st.mu.Lock()
			if ch := st.pings[m.Payload]; ch != nil {
				close(ch)
				delete(st.pings, m.Payload)
			}
			st.mu.Unlock()
		}
	}
}

// confirm tells the store that ended a session, on its ack channel, that
// this store's copy has applied the end (sent aside, so that the
// listener goes on reading).
func (st *Store) confirm(ack string, version uint64) {
	st.acking.Add(1)
	go func() {
		defer st.acking.Done()
		ctx, cancel := context.WithTimeout(context.Background(), st.timeout)
		defer cancel()
		_ = st.client.Publish(ctx, ack, strconv.FormatUint(version, 10)).Err()
	}()
}

// acked counts a confirmation of one of this store's ends.
func (st *Store) acked(payload string) {
	version, err := strconv.ParseUint(payload, 10, 64)
	if err != nil {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if w := st.waits[version]; w != nil {
		if w.got++; w.got == w.need {
			close(w.done)
		}
		return
	}
	now := time.Now()
	for v, e := range st.earlyAcks { // of ends that gave up waiting
		if now.Sub(e.at) > time.Minute {
			delete(st.earlyAcks, v)
		}
	}
	e := st.earlyAcks[version]
	st.earlyAcks[version] = earlyAck{n: e.n + 1, at: now}
}

// awaitEnd returns once every listener that an end (of version) reached,
// receivers of them, has applied it, so that no instance serves the
// ended session from its copy afterwards; or after the store's timeout,
// when one does not answer (its copy stops serving when its listener
// finds the connection dead). It does not wait when this store's own
// listener is not subscribed: no confirmation could reach it.
func (st *Store) awaitEnd(version uint64, receivers int64) {
	st.mu.Lock()
	if receivers <= 0 || !st.ackReady {
		st.mu.Unlock()
		return
	}
	w := &ackWait{need: int(receivers), got: st.earlyAcks[version].n, done: make(chan struct{})}
	delete(st.earlyAcks, version)
	if w.got >= w.need {
		st.mu.Unlock()
		return
	}
	st.waits[version] = w
	st.mu.Unlock()
	t := time.NewTimer(st.timeout)
	defer t.Stop()
	select {
	case <-w.done:
	case <-t.C:
	}
	st.mu.Lock()
	delete(st.waits, version)
	st.mu.Unlock()
}

// sync returns once every change Redis published before the call has
// reached the local copy: a ping on the changes connection is answered
// after them.
func (st *Store) sync(ctx context.Context) error {
	st.mu.Lock()
	ps := st.changes
	st.pingSeq++
	token := "sync " + strconv.FormatUint(st.pingSeq, 10)
	done := make(chan struct{})
	st.pings[token] = done
	st.mu.Unlock()
	defer func() {
		st.mu.Lock()
		delete(st.pings, token)
		st.mu.Unlock()
	}()
	if ps == nil {
		return errors.New("redisstore: not listening yet")
	}
	if err := ps.Ping(ctx, token); err != nil {
		return err
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// stateKey is where OpenSession leaves, with [flasky.Ctx.Set], what
// SaveSession must know of the session as it was opened.
const stateKey = "flasky-go/redisstore"

// opened is the session as the request brought it.
type opened struct {
	id   string // "" when the request had no valid session
	user string // the value under UserKey, "" for none
	// due: it came from the local copy, which Redis should vouch for
	// again (and refresh) if the request does not write it.
	due bool
}

func (st *Store) sessionKey(id string) string  { return st.prefix + "s:" + id }
func (st *Store) userSetPrefix() string        { return st.prefix + "u:" }
func (st *Store) userKeyOf(user string) string { return st.userSetPrefix() + user }

// OpenSession returns the session whose signed id the request's cookie
// holds: no call to Redis without a validly signed cookie or when the
// local copy has the session, one call otherwise.
func (st *Store) OpenSession(c *flasky.Ctx) (*flasky.Session, error) {
	cfg := &c.App().Config
	if len(cfg.SecretKey) == 0 {
		return nil, errNoSecretKey()
	}
	id, ok := verify(cfg, c.SessionCookie())
	if !ok {
		return flasky.NewSession(), nil
	}
	v, state, due := st.local.get(id, time.Now(), recheck(cfg))
	switch state {
	case ended:
		return flasky.NewSession(), nil // ended: never reuse the id
	case unknown:
		var err error
		if v, err = st.read(c, id); err != nil {
			return nil, err
		}
		if v == "" {
			return flasky.NewSession(), nil // expired or ended
		}
	}
	_, _, user, data, ok := parseValue(v)
	if !ok {
		return flasky.NewSession(), nil
	}
	s, err := flasky.LoadSession(id, []byte(data))
	if err != nil {
		return flasky.NewSession(), nil
	}
	c.Set(stateKey, &opened{id: id, user: user, due: due})
	return s, nil
}

// read asks Redis for a session (refreshing a permanent one when
// Config.SessionRefreshEachRequest is on) and keeps the answer in the
// local copy. It returns "" when Redis has no such session.
func (st *Store) read(c *flasky.Ctx, id string) (string, error) {
	cfg := &c.App().Config
	ctx, cancel := st.callContext(c)
	defer cancel()
	ttl := lifetime(cfg)
	refresh := "0"
	if cfg.SessionRefreshEachRequest {
		refresh = "1"
	}
	f := st.local.begin(id)
	start := time.Now()
	res, err := openScript.Run(ctx, st.client, []string{st.sessionKey(id), st.counter},
		refresh, ttl.Milliseconds(), st.userSetPrefix(), id, start.Add(ttl).UnixMilli(), st.channel).Slice()
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("unexpected answer %v", res)
	}
	if err != nil {
		st.local.abandon(f)
		return "", st.fail("read session", err)
	}
	v, _ := res[0].(string)
	n, _ := res[1].(int64)
	if v == "" {
		st.local.land(f, uint64(max(n, 0)), "", time.Time{}, start)
		return "", nil
	}
	_, version, _, _, ok := parseValue(v)
	if !ok {
		st.local.abandon(f)
		return "", nil
	}
	st.local.land(f, version, v, start.Add(time.Duration(n)*time.Millisecond), start)
	return v, nil
}

// SaveSession writes a changed session in one call to Redis, sets the
// cookie, and deletes both for a session saved empty. A session the
// request only read costs nothing, unless it came from the local copy
// and Redis has not vouched for it for a while (a minute, or a 64th of
// the lifetime if that is less): then one call reads it again and, for
// a permanent session with Config.SessionRefreshEachRequest, pushes
// back its expiry.
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
		if was.id == "" {
			return nil
		}
		if was.due {
			v, err := st.read(c, was.id)
			if err != nil {
				return err
			}
			if v == "" { // ended while the copy still had it
				c.SetSessionCookie("")
				return nil
			}
		}
		c.SetSessionCookie(sign(cfg.SecretKey, was.id))
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
	start := time.Now()
	kind, head := encodeValue(s.Permanent(), user, data)

	keys := []string{st.sessionKey(id), st.counter, st.counter, st.counter, st.counter} // see "The scripts"
	mode, oldID := "x", ""
	if fresh {
		mode = ""
		if was.id != "" {
			oldID = was.id
			keys[1] = st.sessionKey(was.id)
			if was.user != "" {
				keys[3] = st.userKeyOf(was.user)
			}
		}
	}
	if user != "" {
		keys[2] = st.userKeyOf(user)
	}
	ctx, cancel := st.callContext(c)
	defer cancel()
	epoch := st.local.current()
	res, err := saveScript.Run(ctx, st.client, keys,
		kind, head, ttl.Milliseconds(), mode, id, oldID,
		start.Add(ttl).UnixMilli(),
		// Ids of sessions that expired (a minute of clock skew between
		// instances forgiven).
		start.Add(-time.Minute).UnixMilli(),
		st.channel, st.acks).Int64Slice()
	if err == nil && len(res) != 2 && len(res) != 3 {
		err = fmt.Errorf("unexpected answer %v", res)
	}
	if err != nil {
		return st.fail("write session", err)
	}
	version := uint64(max(res[1], 0))
	if res[0] == 0 {
		// Ended while this request ran: what it changed goes with it.
		st.local.wrote(epoch, version, "", "", time.Time{}, start, id)
		c.SetSessionCookie("")
		return nil
	}
	var endedIDs []string
	if oldID != "" {
		endedIDs = []string{oldID}
	}
	st.local.wrote(epoch, version, id, kind+strconv.FormatUint(version, 10)+","+head, start.Add(ttl), start, endedIDs...)
	if oldID != "" && len(res) == 3 {
		st.awaitEnd(version, res[2])
	}
	c.SetSessionCookie(sign(cfg.SecretKey, id))
	return nil
}

// delete removes a session that was saved empty, and its id from its
// user's sorted set.
func (st *Store) delete(c *flasky.Ctx, was *opened) error {
	ctx, cancel := st.callContext(c)
	defer cancel()
	set := st.counter // none: see "The scripts"
	if was.user != "" {
		set = st.userKeyOf(was.user)
	}
	epoch := st.local.current()
	res, err := deleteScript.Run(ctx, st.client, []string{st.sessionKey(was.id), set, st.counter},
		was.id, st.channel, st.acks).Int64Slice()
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("unexpected answer %v", res)
	}
	if err != nil {
		return st.fail("delete session", err)
	}
	version := uint64(max(res[0], 0))
	st.local.wrote(epoch, version, "", "", time.Time{}, time.Now(), was.id)
	st.awaitEnd(version, res[1])
	return nil
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
// then on: at once by this instance, and by the others as soon as the
// change reaches them (Redis publishes it in the same call). It needs
// Options.UserKey.
func (st *Store) EndUserSessions(ctx context.Context, user string) (int, error) {
	if st.userKey == "" {
		return 0, errors.New("redisstore: EndUserSessions needs Options.UserKey, the session value that names the user")
	}
	if user == "" {
		return 0, errors.New("redisstore: EndUserSessions: no user given")
	}
	ctx, cancel := context.WithTimeout(ctx, st.timeout)
	defer cancel()
	epoch := st.local.current()
	res, err := endScript.Run(ctx, st.client, []string{st.userKeyOf(user), st.counter}, st.prefix+"s:", st.channel, st.acks).Slice()
	if err == nil && len(res) != 4 {
		err = fmt.Errorf("unexpected answer %v", res)
	}
	if err != nil {
		return 0, st.fail("end sessions", err)
	}
	n, _ := res[0].(int64)
	version, _ := res[1].(int64)
	raw, _ := res[2].([]any)
	ids := make([]string, 0, len(raw))
	for _, id := range raw {
		if s, ok := id.(string); ok {
			ids = append(ids, s)
		}
	}
	receivers, _ := res[3].(int64)
	st.local.wrote(epoch, uint64(max(version, 0)), "", "", time.Time{}, time.Now(), ids...)
	st.awaitEnd(uint64(max(version, 0)), receivers)
	return int(n), nil
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
	if msg := err.Error(); strings.Contains(msg, "NOPERM") || strings.Contains(msg, "The user executing the script can't") {
		return fmt.Errorf("redisstore: %s: %s: %w (the store's Redis user needs ~%s* &%s* +@read +@write +@scripting +@pubsub +ping)",
			st.where, op, err, st.prefix, st.prefix)
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

// recheck is how long a session from the local copy is served before
// Redis is asked to vouch for it again (and to refresh it): a minute, or
// a 64th of the lifetime if that is less. It bounds how long a change
// made behind the stores' back (a key deleted by hand, evicted by
// maxmemory) goes unseen, and how much earlier than the cookie a
// refreshed session may expire in Redis.
func recheck(cfg *flasky.Config) time.Duration {
	return min(lifetime(cfg)/64, time.Minute)
}

// lifetime is Config.SessionLifetime, or flasky's default of 31 days.
func lifetime(cfg *flasky.Config) time.Duration {
	if cfg.SessionLifetime > 0 {
		return cfg.SessionLifetime
	}
	return 31 * 24 * time.Hour
}

// The value kept under a session's key is a header, then the values as
// JSON ([flasky.Session.Encode]): 'p' for a permanent session or 'n', the
// version (the changes counter when the script wrote it), ',', the length
// of the user's name in decimal, ':', the name. The scripts read the
// header to refresh a permanent session and its user's set without
// decoding the JSON. head is what Go writes after the version: the
// script that stores the value puts the version between kind and head.
func encodeValue(permanent bool, user string, data []byte) (kind, head string) {
	var b strings.Builder
	b.Grow(len(data) + len(user) + 8)
	b.WriteString(strconv.Itoa(len(user)))
	b.WriteByte(':')
	b.WriteString(user)
	b.Write(data)
	if permanent {
		return "p", b.String()
	}
	return "n", b.String()
}

func parseValue(v string) (permanent bool, version uint64, user, data string, ok bool) {
	if len(v) < 5 || (v[0] != 'p' && v[0] != 'n') {
		return false, 0, "", "", false
	}
	comma := strings.IndexByte(v, ',')
	if comma < 2 {
		return false, 0, "", "", false
	}
	version, err := strconv.ParseUint(v[1:comma], 10, 64)
	if err != nil {
		return false, 0, "", "", false
	}
	colon := strings.IndexByte(v[comma:], ':') + comma
	if colon <= comma+1 {
		return false, 0, "", "", false
	}
	n, err := strconv.Atoi(v[comma+1 : colon])
	if err != nil || n < 0 || colon+1+n > len(v) {
		return false, 0, "", "", false
	}
	return v[0] == 'p', version, v[colon+1 : colon+1+n], v[colon+1+n:], true
}

// The scripts. Each change to a session takes a new version from the
// changes counter and is published on the changes channel in the same
// script, so every store sees every change in the order Redis made them
// (see localCopy). A key the call does not use is given as the counter's
// name: every key named is one the store may touch (Redis ACLs check
// them).

// openScript reads a session and, when ARGV[1] is "1" and it is
// permanent, pushes back its expiry, its entry in its user's sorted set
// and the set's own expiry (Config.SessionRefreshEachRequest), and says
// so on the channel. It returns the value and its time to live in
// milliseconds, or "" and the counter when there is no such session.
// KEYS: session, counter. ARGV: refresh, lifetime in ms, prefix of users'
// sets, session id, new expiry in Unix ms, channel.
var openScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if not v then
  return {'', tonumber(redis.call('GET', KEYS[2]) or '0')}
end
if ARGV[1] == '1' and string.byte(v, 1) == 112 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  local comma = string.find(v, ',', 2, true)
  local colon = comma and string.find(v, ':', comma + 1, true)
  local n = colon and tonumber(string.sub(v, comma + 1, colon - 1))
  if n and n > 0 then
    local u = ARGV[3] .. string.sub(v, colon + 1, colon + n)
    redis.call('ZADD', u, ARGV[5], ARGV[4])
    redis.call('PEXPIRE', u, ARGV[2])
  end
  redis.call('PUBLISH', ARGV[6], 'e ' .. ARGV[4] .. ' ' .. ARGV[2])
end
return {v, redis.call('PTTL', KEYS[1])}
`)

// saveScript stores a session under a new version: under a fresh id
// (ending the old one, KEYS[2], if any), or, when ARGV[4] is "x", over
// the same id only if it still exists (a session ended meanwhile is not
// brought back: then it returns {0, counter}). It keeps the user's
// sorted set (ids scored by expiry; expired ids dropped). It returns
// {1, version, receivers}, receivers being how many listeners the
// change reached.
// KEYS: session, old session, user's set, old user's set, counter.
// ARGV: kind, head, lifetime in ms, "x" or "", id, old id, score, drop
// scores below, channel, the writer's ack channel.
var saveScript = redis.NewScript(`
if ARGV[4] == 'x' and redis.call('EXISTS', KEYS[1]) == 0 then
  return {0, tonumber(redis.call('GET', KEYS[5]) or '0')}
end
local version = redis.call('INCR', KEYS[5])
local v = ARGV[1] .. version .. ',' .. ARGV[2]
redis.call('SET', KEYS[1], v, 'PX', ARGV[3])
local old = '-'
if KEYS[2] ~= KEYS[5] then
  redis.call('DEL', KEYS[2])
  if KEYS[4] ~= KEYS[5] then redis.call('ZREM', KEYS[4], ARGV[6]) end
  old = ARGV[6]
end
if KEYS[3] ~= KEYS[5] then
  redis.call('ZADD', KEYS[3], ARGV[7], ARGV[5])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[8])
  redis.call('PEXPIRE', KEYS[3], ARGV[3])
end
local receivers = redis.call('PUBLISH', ARGV[9], 's ' .. version .. ' ' .. ARGV[5] .. ' ' .. ARGV[3] .. ' ' .. old .. ' ' .. ARGV[10] .. ' ' .. v)
return {1, version, receivers}
`)

// deleteScript ends one session and returns the version of its end and
// how many listeners the change reached. KEYS: session, user's set,
// counter. ARGV: id, channel, the writer's ack channel.
var deleteScript = redis.NewScript(`
local version = redis.call('INCR', KEYS[3])
redis.call('DEL', KEYS[1])
if KEYS[2] ~= KEYS[3] then redis.call('ZREM', KEYS[2], ARGV[1]) end
local receivers = redis.call('PUBLISH', ARGV[2], 'd ' .. version .. ' ' .. ARGV[3] .. ' ' .. ARGV[1])
return {version, receivers}
`)

// endScript deletes every session in a user's sorted set, then the set,
// and returns how many sessions it deleted, the version of their end,
// their ids and how many listeners the change reached. KEYS: the set,
// counter. ARGV: prefix of session keys, channel, the writer's ack
// channel.
var endScript = redis.NewScript(`
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local version = redis.call('INCR', KEYS[2])
local n = 0
for _, id in ipairs(ids) do
  n = n + redis.call('DEL', ARGV[1] .. id)
end
redis.call('DEL', KEYS[1])
local receivers = 0
if #ids > 0 then
  receivers = redis.call('PUBLISH', ARGV[2], 'd ' .. version .. ' ' .. ARGV[3] .. ' ' .. table.concat(ids, ' '))
end
return {n, version, ids, receivers}
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
