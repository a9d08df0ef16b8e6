package redisstore

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The local copy's ordering rules, step by step: each case is a sequence
// of events and what the copy must say of session "a" after them.
func TestLocalCopyOrder(t *testing.T) {
	now := time.Now()
	later := now.Add(time.Hour)
	set := func(version uint64, value string) func(lc *localCopy) {
		return func(lc *localCopy) { lc.wrote(lc.current(), version, "a", value, later, now) }
	}
	end := func(version uint64) func(lc *localCopy) {
		return func(lc *localCopy) { lc.wrote(lc.current(), version, "", "", time.Time{}, now, "a") }
	}
	msg := func(payload string) func(lc *localCopy) {
		return func(lc *localCopy) { lc.message(payload, now) }
	}
	for _, tc := range []struct {
		name   string
		events []func(lc *localCopy)
		want   lookup
		value  string
	}{
		{"written", []func(*localCopy){set(1, "v1")}, found, "v1"},
		{"newer write wins", []func(*localCopy){set(2, "v2"), set(1, "v1")}, found, "v2"},
		{"older message ignored", []func(*localCopy){set(5, "v5"), msg("s 4 a 1000 - - v4")}, found, "v5"},
		{"newer message applied", []func(*localCopy){set(5, "v5"), msg("s 6 a 1000 - - v6")}, found, "v6"},
		{"ended stays ended", []func(*localCopy){end(7), msg("s 6 a 1000 - - v6")}, ended, ""},
		{"message ends", []func(*localCopy){set(1, "v1"), msg("d 2 - a b")}, ended, ""},
		{"message ends as old id of a login", []func(*localCopy){set(1, "v1"), msg("s 3 b 1000 a - v3")}, ended, ""},
		{"stale end ignored", []func(*localCopy){set(9, "v9"), msg("d 8 - a")}, found, "v9"},
		{"messages from another format ignored", []func(*localCopy){set(1, "v1"), msg("x 9 a"), msg("s nine a 1 - - v"), msg("d"), msg("s 1 a")}, found, "v1"},
		{"refresh keeps the value", []func(*localCopy){set(1, "v1"), msg("e a 5000")}, found, "v1"},
		{"off forgets", []func(*localCopy){set(1, "v1"), func(lc *localCopy) { lc.off() }, func(lc *localCopy) { lc.on() }}, unknown, ""},
		{"a write begun before a reconnect is not kept", []func(*localCopy){func(lc *localCopy) {
			epoch := lc.current()
			lc.on() // the listener reconnected meanwhile
			lc.wrote(epoch, 3, "a", "v3", later, now)
		}}, unknown, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lc := newLocalCopy(100)
			lc.on()
			for _, ev := range tc.events {
				ev(lc)
			}
			v, state, _ := lc.get("a", now, time.Minute)
			if state != tc.want || v != tc.value {
				t.Errorf("got %v %q, want %v %q", state, v, tc.want, tc.value)
			}
		})
	}
}

// A read from Redis is kept only if nothing changed the session while it
// was on its way.
func TestLocalCopyOvertakenRead(t *testing.T) {
	now := time.Now()
	later := now.Add(time.Hour)
	for _, tc := range []struct {
		name  string
		meant func(lc *localCopy) // what happens while the read is out
		want  lookup
		value string
	}{
		{"nothing", func(*localCopy) {}, found, "v1"},
		{"ended by a message", func(lc *localCopy) { lc.message("d 2 - a", now) }, ended, ""},
		{"written by this instance", func(lc *localCopy) { lc.wrote(lc.current(), 2, "a", "v2", later, now) }, found, "v2"},
		{"listener reconnected", func(lc *localCopy) { lc.on() }, unknown, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lc := newLocalCopy(100)
			lc.on()
			f := lc.begin("a")
			tc.meant(lc)
			lc.land(f, 1, "v1", later, now)
			v, state, _ := lc.get("a", now, time.Minute)
			if state != tc.want || v != tc.value {
				t.Errorf("got %v %q, want %v %q", state, v, tc.want, tc.value)
			}
		})
	}
}

// The copy holds at most its size, dropping the least recently used,
// but keeps an end the stream has not caught up with; it serves nothing
// expired, and says when Redis should vouch again.
func TestLocalCopyBounds(t *testing.T) {
	now := time.Now()
	lc := newLocalCopy(3)
	lc.on()
	lc.wrote(lc.current(), 10, "", "", time.Time{}, now, "young-end") // the stream is at 0
	for i, id := range []string{"a", "b", "c", "d"} {
		lc.wrote(lc.current(), uint64(i+1), id, "v", now.Add(time.Hour), now)
	}
	if n := lc.size(); n > 4 {
		t.Errorf("%d entries for a size of 3 (one protected end)", n)
	}
	if _, state, _ := lc.get("young-end", now, time.Minute); state != ended {
		t.Errorf("an end newer than the stream was dropped: %v", state)
	}
	if _, state, _ := lc.get("a", now, time.Minute); state != unknown {
		t.Errorf("the least recently used entry is still there: %v", state)
	}
	lc.wrote(lc.current(), 20, "short", "v", now.Add(time.Second), now)
	if _, state, _ := lc.get("short", now.Add(2*time.Second), time.Minute); state != unknown {
		t.Errorf("an expired session served: %v", state)
	}
	if _, _, due := lc.get("d", now.Add(30*time.Second), time.Minute); due {
		t.Errorf("due after 30s of a minute")
	}
	if _, _, due := lc.get("d", now.Add(61*time.Second), time.Minute); !due {
		t.Errorf("not due after 61s of a minute")
	}
	lc.off()
	if _, state, _ := lc.get("d", now, time.Minute); state != unknown {
		t.Errorf("served while off: %v", state)
	}
}

// What the copy costs in memory when full: 10,000 sessions of about 1 KB
// each (the README's figure), after twice as many went through it.
func TestLocalCopyMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	lc := newLocalCopy(10000)
	lc.on()
	now := time.Now()
	value := "p1,5:alice" + `{"cart":"` + strings.Repeat("x", 1000) + `"}`
	for i := range 20000 {
		lc.message(fmt.Sprintf("s %d %043d 1000000 - - %s", i+1, i, value), now)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	perEntry := grew / int64(lc.size())
	t.Logf("%d entries of %d-byte values: heap +%.1f MB, %d bytes each", lc.size(), len(value), float64(grew)/1e6, perEntry)
	if lc.size() != 10000 {
		t.Errorf("%d entries, want 10000", lc.size())
	}
	if perEntry > 2*int64(len(value)) {
		t.Errorf("%d bytes per entry for a %d-byte value", perEntry, len(value))
	}
	runtime.KeepAlive(lc)
}
