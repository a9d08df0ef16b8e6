package redisstore

import "testing"

// The header before the JSON reads back whatever the user's name holds.
func TestValueRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		perm bool
		user string
	}{{true, "alice"}, {false, ""}, {true, "a:b:c"}, {false, "홍길동"}, {true, "12:{}"}} {
		v := encodeValue(tc.perm, tc.user, []byte(`{"user":"x"}`))
		perm, user, data, ok := parseValue(v)
		if !ok || perm != tc.perm || user != tc.user || data != `{"user":"x"}` {
			t.Errorf("%q: %v %q %q %v", v, perm, user, data, ok)
		}
	}
	for _, bad := range []string{"", "p", "x0:{}", "p:{}", "p99:ab", "p-1:{}", `{"a":1}`} {
		if _, _, _, ok := parseValue(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}
