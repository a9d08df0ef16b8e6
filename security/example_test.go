package security_test

import (
	"fmt"
	"strings"

	"github.com/flasky-go/flasky/security"
)

// Password hashes in Werkzeug's format: a users table written by a
// Flask app's generate_password_hash is read as it is.
func ExampleCheckPasswordHash() {
	// Made by Werkzeug: generate_password_hash("hunter2", "pbkdf2:sha256:1000")
	const stored = "pbkdf2:sha256:1000$kzaHTnyHybgI7Xnj$ea4405fa5e099a9095fcd962513ae6d77c63274753513a78834663f1ae7a7750"
	ok, err := security.CheckPasswordHash(stored, "hunter2")
	fmt.Println(ok, err)

	h, err := security.GeneratePasswordHash("hunter2") // scrypt, Werkzeug's default
	if err != nil {
		panic(err)
	}
	fmt.Println(h[:strings.IndexByte(h, '$')])
	ok, _ = security.CheckPasswordHash(h, "hunter3")
	fmt.Println(ok)
	// Output:
	// true <nil>
	// scrypt:32768:8:1
	// false
}
