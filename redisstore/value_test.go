package redisstore

import (
	"strconv"
	"testing"
)

// The header before the JSON reads back whatever the user's name holds,
// with the version the script puts between kind and head.
func TestValueRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		perm    bool
		version uint64
		user    string
	}{{true, 1, "alice"}, {false, 42, ""}, {true, 7, "a:b:c"}, {false, 1 << 40, "홍길동"}, {true, 3, "12:{}"}, {false, 9, "a,b"}} {
		kind, head := encodeValue(tc.perm, tc.user, []byte(`{"user":"x"}`))
		v := kind + strconv.FormatUint(tc.version, 10) + "," + head
		perm, version, user, data, ok := parseValue(v)
		if !ok || perm != tc.perm || version != tc.version || user != tc.user || data != `{"user":"x"}` {
			t.Errorf("%q: %v %d %q %q %v", v, perm, version, user, data, ok)
		}
	}
	for _, bad := range []string{"", "p", "x0,0:{}", "p0:{}", "p,0:{}", "p1,:{}", "pz,0:{}", "p1,99:ab", "p1,-1:{}", `{"a":1}`} {
		if _, _, _, _, ok := parseValue(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}
