package redisstore

import (
	"container/list"
	"strconv"
	"strings"
	"sync"
	"time"
)

// localCopy is an instance's copy of the sessions it has read or
// written, and of those the other instances wrote: it lets a request that
// reads and writes a session make one round trip to Redis (the write), and
// one that only reads make none.
//
// It stays right because every change a Store makes in Redis carries a
// version (a counter in Redis, incremented by the same script that makes
// the change) and is published, in that script, on the store's changes
// channel, which every store listens to on one connection. Redis delivers
// those messages in the order it ran the scripts. So:
//
//   - a change is applied only over an older version of the same session;
//   - a session an instance ended itself is remembered as ended (a
//     tombstone) at least until the stream has brought everything older,
//     so a late message cannot bring it back;
//   - a read from Redis that was overtaken by a change of the same session
//     is not kept;
//   - while the listening connection is down, nothing is served from the
//     copy; when it is back the copy starts empty (what it missed is
//     unknown), and calls begun before that are not kept (epoch).
type localCopy struct {
	max int // entries kept, tombstones included

	mu      sync.Mutex
	live    bool   // listening: changes reach the copy
	epoch   uint64 // bumped whenever live changes
	seen    uint64 // the highest version the stream has brought
	entries map[string]*entry
	lru     list.List // of *entry, most recently used first

	// Reads from Redis in flight, by session id, and the stamp of the last
	// change to each of those sessions: a read overtaken by a change is
	// not kept.
	flights map[string]int
	changed map[string]uint64
	stamp   uint64
}

type entry struct {
	id      string
	version uint64
	value   string // as stored in Redis; "" for a tombstone
	ended   bool
	expires time.Time // when Redis drops the key, by this instance's clock
	checked time.Time // when Redis last vouched for value
	elem    *list.Element
}

func newLocalCopy(max int) *localCopy {
	return &localCopy{
		max:     max,
		entries: make(map[string]*entry),
		flights: make(map[string]int),
		changed: make(map[string]uint64),
	}
}

// lookup is what the copy knows of a session.
type lookup int

const (
	unknown lookup = iota // ask Redis
	found                 // value holds it
	ended                 // ended: a new, empty session
)

// get returns the session's stored value when the copy may serve it, and
// whether Redis should vouch for it again after the request (due: it has
// not for recheck).
func (lc *localCopy) get(id string, now time.Time, recheck time.Duration) (value string, state lookup, due bool) {
	if lc == nil {
		return "", unknown, false
	}
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if !lc.live {
		return "", unknown, false
	}
	e := lc.entries[id]
	if e == nil {
		return "", unknown, false
	}
	if e.ended {
		lc.lru.MoveToFront(e.elem)
		return "", ended, false
	}
	if !now.Before(e.expires) {
		return "", unknown, false
	}
	lc.lru.MoveToFront(e.elem)
	return e.value, found, now.Sub(e.checked) >= recheck
}

// flight is a read from Redis that may fill the copy.
type flight struct {
	id    string
	epoch uint64
	stamp uint64
}

func (lc *localCopy) begin(id string) flight {
	if lc == nil {
		return flight{}
	}
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.flights[id]++
	return flight{id: id, epoch: lc.epoch, stamp: lc.stamp}
}

// land ends a read: value (at version, Redis dropping it at expires) is
// kept if nothing changed the session meanwhile; value "" says Redis has
// no such session, which is then ended as of version (the counter's value
// when Redis answered).
func (lc *localCopy) land(f flight, version uint64, value string, expires, now time.Time) {
	if lc == nil {
		return
	}
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if lc.release(f) || !lc.live || lc.epoch != f.epoch {
		return
	}
	if value == "" {
		lc.end(f.id, version)
		return
	}
	lc.set(f.id, version, value, expires, now)
}

// wrote applies a change this instance made, begun in epoch: id now holds
// value at version, and the ids in endedIDs are ended at version.
func (lc *localCopy) wrote(epoch uint64, version uint64, id, value string, expires, now time.Time, endedIDs ...string) {
	if lc == nil {
		return
	}
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if !lc.live || lc.epoch != epoch {
		return
	}
	if id != "" {
		lc.set(id, version, value, expires, now)
	}
	for _, gone := range endedIDs {
		lc.end(gone, version)
	}
}

// current returns the epoch a change begins in.
func (lc *localCopy) current() uint64 {
	if lc == nil {
		return 0
	}
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.epoch
}

// set, end and put hold lc.mu.
func (lc *localCopy) set(id string, version uint64, value string, expires, now time.Time) {
	if e := lc.entries[id]; e != nil {
		if e.version > version || e.ended && e.version == version {
			return
		}
		if e.version == version { // Redis vouches for what the copy has
			e.expires, e.checked = expires, now
			lc.lru.MoveToFront(e.elem)
			return
		}
	}
	lc.put(id, entry{version: version, value: value, expires: expires, checked: now})
}

func (lc *localCopy) end(id string, version uint64) {
	if e := lc.entries[id]; e != nil && e.version > version {
		return
	}
	lc.put(id, entry{version: version, ended: true})
}

// put makes e id's entry, the most recently used, and tells the reads in
// flight.
func (lc *localCopy) put(id string, e entry) {
	at := lc.entries[id]
	if at == nil {
		at = &entry{}
		at.elem = lc.lru.PushFront(at)
		lc.entries[id] = at
		lc.trim()
	}
	e.id, e.elem = id, at.elem
	*at = e
	lc.lru.MoveToFront(at.elem)
	lc.touched(id)
}

// touched marks a change of id for the reads in flight.
func (lc *localCopy) touched(id string) {
	if lc.flights[id] > 0 {
		lc.stamp++
		lc.changed[id] = lc.stamp
	}
}

// trim drops the least recently used entries past max; a tombstone newer
// than what the stream has brought stays, so that an older change still
// on its way cannot bring its session back.
func (lc *localCopy) trim() {
	for el := lc.lru.Back(); el != nil && len(lc.entries) > lc.max; {
		e := el.Value.(*entry)
		prev := el.Prev()
		if !e.ended || e.version <= lc.seen {
			lc.lru.Remove(el)
			delete(lc.entries, e.id)
		}
		el = prev
	}
}

// on starts serving, empty: the stream is there from now on.
func (lc *localCopy) on() { lc.reset(true) }

// off stops serving: changes no longer reach the copy.
func (lc *localCopy) off() { lc.reset(false) }

func (lc *localCopy) reset(live bool) {
	if lc == nil {
		return
	}
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.live = live
	lc.epoch++
	lc.seen = 0
	clear(lc.entries)
	lc.lru.Init()
}

// Messages on the changes channel, written by the scripts:
//
//	s VERSION ID PTTL OLDID ACK VALUE   ID holds VALUE for PTTL ms; OLDID ("-" for none) ended
//	d VERSION ACK ID...                 the sessions ended
//	e ID PTTL                           ID's expiry pushed back (refresh)
//
// ACK is the writer's ack channel: a message that ends a session returns
// it and the version, and the listener acknowledges there once the
// message is applied ("" when nothing is to be acknowledged). A message
// that does not parse is ignored.
func (lc *localCopy) message(payload string, now time.Time) (ack string, version uint64) {
	if len(payload) < 2 || payload[1] != ' ' {
		return "", 0
	}
	kind, rest := payload[0], payload[2:]
	switch kind {
	case 's':
		f := strings.SplitN(rest, " ", 6)
		if len(f) != 6 {
			return "", 0
		}
		version, err1 := strconv.ParseUint(f[0], 10, 64)
		pttl, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			return "", 0
		}
		if lc != nil {
			lc.mu.Lock()
			if lc.live {
				lc.saw(version)
				lc.set(f[1], version, f[5], now.Add(time.Duration(pttl)*time.Millisecond), now)
				if f[3] != "-" {
					lc.end(f[3], version)
				}
			}
			lc.mu.Unlock()
		}
		if f[3] != "-" && f[4] != "-" {
			return f[4], version
		}
	case 'd':
		f := strings.Fields(rest)
		if len(f) < 3 {
			return "", 0
		}
		version, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return "", 0
		}
		if lc != nil {
			lc.mu.Lock()
			if lc.live {
				lc.saw(version)
				for _, id := range f[2:] {
					lc.end(id, version)
				}
			}
			lc.mu.Unlock()
		}
		if f[1] != "-" {
			return f[1], version
		}
	case 'e':
		id, ms, ok := strings.Cut(rest, " ")
		pttl, err := strconv.ParseInt(ms, 10, 64)
		if !ok || err != nil || lc == nil {
			return "", 0
		}
		lc.mu.Lock()
		if e := lc.entries[id]; lc.live && e != nil && !e.ended {
			if exp := now.Add(time.Duration(pttl) * time.Millisecond); exp.After(e.expires) {
				e.expires = exp
			}
			e.checked = now
		}
		lc.mu.Unlock()
	}
	return "", 0
}

func (lc *localCopy) saw(version uint64) {
	if version > lc.seen {
		lc.seen = version
	}
}

// size is the number of entries, tombstones included.
func (lc *localCopy) size() int {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return len(lc.entries)
}

// abandon ends a read that brought nothing to keep (an error).
func (lc *localCopy) abandon(f flight) {
	if lc == nil {
		return
	}
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.release(f)
}

// release ends a flight (holding lc.mu) and reports whether a change to
// its session overtook it.
func (lc *localCopy) release(f flight) (overtaken bool) {
	overtaken = lc.changed[f.id] > f.stamp
	if lc.flights[f.id]--; lc.flights[f.id] <= 0 {
		delete(lc.flights, f.id)
		delete(lc.changed, f.id)
	}
	return overtaken
}
