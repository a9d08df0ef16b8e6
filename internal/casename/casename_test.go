package casename

import (
	"strings"
	"testing"
)

func TestOf(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "empty"},
		{"photo.jpg", "photo.jpg"},
		{"a b", "a b"},
		{"a\tb", `a\tb`},
		{"a\nb", `a\nb`},
		{"\xff", `\xff`},
		{strings.Repeat("가", 50), "가가가가가가가가...가가가가가가가가 (150 bytes)"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := Of(tc.in); got != tc.want {
				t.Errorf("Of(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
