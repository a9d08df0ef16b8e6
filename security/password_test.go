package security_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/flasky-go/flasky/security"
)

// werkzeugHashes are hashes made by Werkzeug's generate_password_hash
// (testdata/password/make_hashes.py).
func werkzeugHashes(t *testing.T) []struct{ Password, Method, Hash string } {
	t.Helper()
	b, err := os.ReadFile("testdata/password/werkzeug_hashes.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Hashes []struct{ Password, Method, Hash string }
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f.Hashes
}

func TestCheckPasswordHashReadsWerkzeug(t *testing.T) {
	for _, h := range werkzeugHashes(t) {
		t.Run(h.Method+" "+h.Password, func(t *testing.T) {
			ok, err := security.CheckPasswordHash(h.Hash, h.Password)
			if err != nil || !ok {
				t.Errorf("CheckPasswordHash(%q, %q) = %v, %v; want true", h.Hash, h.Password, ok, err)
			}
			ok, err = security.CheckPasswordHash(h.Hash, h.Password+"x")
			if err != nil || ok {
				t.Errorf("a wrong password: %v, %v; want false", ok, err)
			}
		})
	}
}

func TestGeneratePasswordHash(t *testing.T) {
	tests := []struct {
		name   string
		opts   []security.PasswordOption
		format string // the whole hash, as a regular expression
	}{
		{"default: scrypt", nil, `^scrypt:32768:8:1\$[A-Za-z0-9]{16}\$[0-9a-f]{128}$`},
		{"scrypt with parameters", []security.PasswordOption{security.HashMethod("scrypt:1024:8:2")}, `^scrypt:1024:8:2\$[A-Za-z0-9]{16}\$[0-9a-f]{128}$`},
		{"pbkdf2", []security.PasswordOption{security.HashMethod("pbkdf2")}, `^pbkdf2:sha256:1000000\$[A-Za-z0-9]{16}\$[0-9a-f]{64}$`},
		{"pbkdf2 sha512", []security.PasswordOption{security.HashMethod("pbkdf2:sha512:1000")}, `^pbkdf2:sha512:1000\$[A-Za-z0-9]{16}\$[0-9a-f]{128}$`},
		{"pbkdf2 sha1, short salt", []security.PasswordOption{security.HashMethod("pbkdf2:sha1:1000"), security.SaltLength(4)}, `^pbkdf2:sha1:1000\$[A-Za-z0-9]{4}\$[0-9a-f]{40}$`},
		{"long salt", []security.PasswordOption{security.HashMethod("scrypt:1024:8:1"), security.SaltLength(40)}, `^scrypt:1024:8:1\$[A-Za-z0-9]{40}\$[0-9a-f]{128}$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := security.GeneratePasswordHash("비밀 pw", tt.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(tt.format).MatchString(h) {
				t.Errorf("hash %q does not match %s", h, tt.format)
			}
			if ok, err := security.CheckPasswordHash(h, "비밀 pw"); !ok || err != nil {
				t.Errorf("its own hash: %v, %v", ok, err)
			}
			if ok, err := security.CheckPasswordHash(h, "비밀 pW"); ok || err != nil {
				t.Errorf("another password: %v, %v", ok, err)
			}
			again, _ := security.GeneratePasswordHash("비밀 pw", tt.opts...)
			if again == h {
				t.Errorf("two hashes of one password are equal: the salt is not random")
			}
		})
	}
}

func TestPasswordHashErrors(t *testing.T) {
	generate := []struct {
		name string
		opts []security.PasswordOption
		want string
	}{
		{"unknown method", []security.PasswordOption{security.HashMethod("bcrypt")}, `unknown password hash method "bcrypt"`},
		{"plain", []security.PasswordOption{security.HashMethod("plain")}, `unknown password hash method "plain"`},
		{"unknown pbkdf2 hash", []security.PasswordOption{security.HashMethod("pbkdf2:whirlpool")}, `unknown hash "whirlpool"`},
		{"scrypt with 2 arguments", []security.PasswordOption{security.HashMethod("scrypt:1024:8")}, "scrypt takes 3 arguments"},
		{"scrypt N not a power of 2", []security.PasswordOption{security.HashMethod("scrypt:1000:8:1")}, "power of 2"},
		{"scrypt too large", []security.PasswordOption{security.HashMethod("scrypt:1048576:16:1")}, "would take over"},
		{"pbkdf2 iterations not a number", []security.PasswordOption{security.HashMethod("pbkdf2:sha256:many")}, "iterations"},
		{"pbkdf2 zero iterations", []security.PasswordOption{security.HashMethod("pbkdf2:sha256:0")}, "iterations"},
		{"pbkdf2 too many iterations", []security.PasswordOption{security.HashMethod("pbkdf2:sha256:20000000")}, "over 10000000"},
		{"pbkdf2 three arguments", []security.PasswordOption{security.HashMethod("pbkdf2:sha256:1:2")}, "takes 2 arguments"},
		{"no salt", []security.PasswordOption{security.SaltLength(0)}, "salt length 0"},
	}
	for _, tt := range generate {
		t.Run("generate "+tt.name, func(t *testing.T) {
			h, err := security.GeneratePasswordHash("pw", tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %q, %v; want an error with %q", h, err, tt.want)
			}
		})
	}
	check := []struct{ name, hash, want string }{
		{"empty", "", "not a password hash"},
		{"no dollar", "scrypt:32768:8:1", "not a password hash"},
		{"one dollar", "pbkdf2:sha256:1000$salt", "not a password hash"},
		{"unknown method", "sha256$salt$abcd", `unknown password hash method "sha256"`},
		{"bcrypt", "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", `unknown password hash method ""`},
		{"bad scrypt", "scrypt:x:8:1$salt$abcd", "scrypt takes 3 arguments"},
	}
	for _, tt := range check {
		t.Run("check "+tt.name, func(t *testing.T) {
			ok, err := security.CheckPasswordHash(tt.hash, "pw")
			if ok || err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, %v; want false and an error with %q", ok, err, tt.want)
			}
		})
	}
	// A hash that is only wrong in its digest is a wrong password, not
	// an error.
	if ok, err := security.CheckPasswordHash("pbkdf2:sha256:1000$salt$00", "pw"); ok || err != nil {
		t.Errorf("short digest: %v, %v", ok, err)
	}
}

// werkzeugCheck runs Werkzeug's check_password_hash on each hash: a
// JSON list of [hash, password] on standard input, a JSON list of
// booleans out.
const werkzeugCheck = `import json, sys
from werkzeug.security import check_password_hash
print(json.dumps([check_password_hash(h, p) for h, p in json.load(sys.stdin)]))`

// Hashes made by flasky are read by Werkzeug, when python3 with Werkzeug
// is installed.
func TestWerkzeugChecksGeneratedHashes(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("skipped: no python3 on PATH to check the hashes with Werkzeug")
	}
	if err := exec.Command(py, "-c", "import werkzeug.security").Run(); err != nil {
		t.Skip("skipped: python3 has no Werkzeug (pip install werkzeug) to check the hashes with")
	}
	methods := []string{"scrypt", "scrypt:1024:8:2", "pbkdf2:sha256:1000", "pbkdf2:sha512:1000", "pbkdf2:sha1:1000", "pbkdf2:sha3_256:1000"}
	passwords := []string{"hunter2", "비밀번호 🔑", ""}
	var pairs [][2]string
	var want []bool
	for _, m := range methods {
		for _, pw := range passwords {
			h, err := security.GeneratePasswordHash(pw, security.HashMethod(m))
			if err != nil {
				t.Fatal(err)
			}
			pairs = append(pairs, [2]string{h, pw}, [2]string{h, pw + "!"})
			want = append(want, true, false)
		}
	}
	in, _ := json.Marshal(pairs)
	cmd := exec.Command(py, "-c", werkzeugCheck)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var got []bool
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(want) {
		t.Fatalf("python3 said %q (%v)", out, err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Werkzeug's check_password_hash(%q, %q) = %v, want %v", pairs[i][0], pairs[i][1], got[i], want[i])
		}
	}
}
