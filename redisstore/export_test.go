package redisstore

import "context"

// SignForTest signs id as the store's cookies are signed.
var SignForTest = sign

// SyncForTest returns once every change published before the call has
// reached st's local copy.
func SyncForTest(ctx context.Context, st *Store) error { return st.sync(ctx) }

// ServingForTest reports whether st's local copy serves sessions (its
// listener is subscribed).
func ServingForTest(st *Store) bool {
	if st.local == nil {
		return false
	}
	st.local.mu.Lock()
	defer st.local.mu.Unlock()
	return st.local.live
}
