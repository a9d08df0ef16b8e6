package reloader

import (
	"os"
	"strings"
	"testing"
)

// TestInherited checks the environment a supervisor sets, and that a
// process without it is no child.
func TestInherited(t *testing.T) {
	tests := []struct {
		name    string
		env     string
		set     bool
		wantErr string
	}{
		{name: "not a child", set: false},
		{name: "two descriptors", env: "3,4", set: true, wantErr: "want three file descriptors"},
		{name: "not a number", env: "3,x,5", set: true, wantErr: `bad file descriptor "x"`},
		{name: "standard output", env: "3,1,5", set: true, wantErr: `bad file descriptor "1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.set {
				t.Setenv(envFDs, tt.env)
			} else {
				t.Setenv(envFDs, "")
				os.Unsetenv(envFDs)
			}
			c, err := Inherited()
			switch {
			case tt.wantErr == "" && (c != nil || err != nil):
				t.Errorf("%q: Inherited() = %v, %v; want no child", tt.env, c, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("%q: error %v, want one saying %q", tt.env, err, tt.wantErr)
			}
			if _, ok := os.LookupEnv(envFDs); ok {
				t.Errorf("%q: the variable is still set: a program this one starts would think it a child", tt.env)
			}
		})
	}
}
