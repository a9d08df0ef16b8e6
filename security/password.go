// Package security holds password hashes in Werkzeug's format, as
// werkzeug.security does: GeneratePasswordHash and CheckPasswordHash
// read and write generate_password_hash's strings, so a Flask app's users
// table works unchanged. It is a module of its own
// (github.com/flasky-go/flasky/security), so that programs that never
// hash a password carry neither the hash functions nor golang.org/x/crypto,
// which flasky's own go.mod does not require.
package security

import (
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"

	"golang.org/x/crypto/scrypt"
)

// PasswordOption is an option of [GeneratePasswordHash].
type PasswordOption func(*passwordOptions)

type passwordOptions struct {
	method     string
	saltLength int
}

// HashMethod chooses how [GeneratePasswordHash] hashes, as Werkzeug's
// method= argument: "scrypt" (the default, scrypt:32768:8:1),
// "scrypt:N:r:p", "pbkdf2" (pbkdf2:sha256:1000000, Werkzeug 3.1's
// default), "pbkdf2:HASH" or "pbkdf2:HASH:ITERATIONS", HASH one of
// sha256, sha512, sha384, sha224, sha1, md5, sha512_224, sha512_256,
// sha3_224, sha3_256, sha3_384, sha3_512.
func HashMethod(method string) PasswordOption {
	return func(o *passwordOptions) { o.method = method }
}

// SaltLength sets how many letters and digits of salt
// [GeneratePasswordHash] makes, as Werkzeug's salt_length= (default 16).
func SaltLength(n int) PasswordOption {
	return func(o *passwordOptions) { o.saltLength = n }
}

// saltChars are Werkzeug's SALT_CHARS.
const saltChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// Werkzeug 3.1's defaults.
const (
	defaultPBKDF2Iterations = 1_000_000
	defaultScryptN          = 1 << 15
	defaultScryptR          = 8
	defaultScryptP          = 1
	scryptKeyLen            = 64 // hashlib.scrypt's dklen
)

// Bounds on the work a stored hash can ask for, so that a hash from an
// untrusted place cannot hold a CPU for minutes or take gigabytes.
const (
	maxPBKDF2Iterations = 10_000_000
	maxScryptMemory     = 1 << 30 // 128·N·r·p bytes
)

// GeneratePasswordHash hashes password for storing, as Werkzeug's
// generate_password_hash: "method$salt$hash", by default
// "scrypt:32768:8:1$<16 letters and digits>$<128 hex digits>", which
// Werkzeug's check_password_hash reads, and [CheckPasswordHash] reads
// what Werkzeug writes. See [HashMethod] and [SaltLength]. The error is
// for a method it does not know or parameters out of range.
//
//	h, err := GeneratePasswordHash(form.Password)
//	h, err := GeneratePasswordHash(pw, HashMethod("pbkdf2"))
func GeneratePasswordHash(password string, opts ...PasswordOption) (string, error) {
	o := passwordOptions{method: "scrypt", saltLength: 16}
	for _, fn := range opts {
		fn(&o)
	}
	if o.saltLength <= 0 {
		return "", fmt.Errorf("flasky: GeneratePasswordHash: salt length %d, want at least 1", o.saltLength)
	}
	salt := make([]byte, o.saltLength)
	var buf [64]byte
	for i := 0; i < len(salt); {
		_, _ = rand.Read(buf[:]) // never fails (crypto/rand, Go 1.24)
		for _, b := range buf {
			// 248 = 4·62: the bytes below it map to the 62 characters
			// evenly.
			if b < 248 && i < len(salt) {
				salt[i] = saltChars[b%62]
				i++
			}
		}
	}
	sum, method, err := hashPassword(o.method, string(salt), password)
	if err != nil {
		return "", fmt.Errorf("flasky: GeneratePasswordHash: %w", err)
	}
	return method + "$" + string(salt) + "$" + sum, nil
}

// CheckPasswordHash reports whether password is the one pwhash was made
// from, as Werkzeug's check_password_hash: pwhash is
// "method$salt$hash" made by [GeneratePasswordHash] or by Werkzeug
// (scrypt or pbkdf2, any parameters). The comparison takes the same
// time whatever the password. The error is for a pwhash that is not
// such a hash, or whose method flasky does not know (Werkzeug raises
// ValueError for those) or asks for more work than flasky does (over
// 10,000,000 pbkdf2 iterations, or 1 GiB for scrypt): a stored value to
// fix, not a wrong password.
//
//	ok, err := CheckPasswordHash(user.PasswordHash, c.Form.Get("password"))
//	if err != nil {
//		return err
//	}
//	if !ok {
//		return flasky.Abortf(401, "Incorrect password.")
//	}
func CheckPasswordHash(pwhash, password string) (bool, error) {
	method, rest, ok1 := strings.Cut(pwhash, "$")
	salt, want, ok2 := strings.Cut(rest, "$")
	if !ok1 || !ok2 {
		return false, errors.New("flasky: CheckPasswordHash: not a password hash (want method$salt$hash)")
	}
	sum, _, err := hashPassword(method, salt, password)
	if err != nil {
		return false, fmt.Errorf("flasky: CheckPasswordHash: %w", err)
	}
	return subtle.ConstantTimeCompare([]byte(sum), []byte(want)) == 1, nil
}

// pbkdf2Hashes are the names of the hashes pbkdf2 takes, hashlib's.
var pbkdf2Hashes = []string{"md5", "sha1", "sha224", "sha256", "sha384", "sha512",
	"sha512_224", "sha512_256", "sha3_224", "sha3_256", "sha3_384", "sha3_512"}

// pbkdf2Hash returns the hash named name, or nil. A switch rather than a
// map, so that programs that hash no password link none of them.
func pbkdf2Hash(name string) func() hash.Hash {
	switch strings.ToLower(name) {
	case "md5":
		return md5.New
	case "sha1":
		return sha1.New
	case "sha224":
		return sha256.New224
	case "sha256":
		return sha256.New
	case "sha384":
		return sha512.New384
	case "sha512":
		return sha512.New
	case "sha512_224":
		return sha512.New512_224
	case "sha512_256":
		return sha512.New512_256
	case "sha3_224":
		return func() hash.Hash { return sha3.New224() }
	case "sha3_256":
		return func() hash.Hash { return sha3.New256() }
	case "sha3_384":
		return func() hash.Hash { return sha3.New384() }
	case "sha3_512":
		return func() hash.Hash { return sha3.New512() }
	}
	return nil
}

// hashPassword derives the hex hash of password with method, as
// Werkzeug's _hash_internal, and returns it with the method written out
// in full ("scrypt" is "scrypt:32768:8:1").
func hashPassword(method, salt, password string) (sum, full string, err error) {
	name, args, _ := strings.Cut(method, ":")
	var params []string
	if args != "" || strings.Contains(method, ":") {
		params = strings.Split(args, ":")
	}
	switch name {
	case "scrypt":
		n, r, p := defaultScryptN, defaultScryptR, defaultScryptP
		if len(params) != 0 {
			v, err := positiveInts(params, 3)
			if err != nil {
				return "", "", fmt.Errorf("method %q: scrypt takes 3 arguments, N:r:p: %w", method, err)
			}
			n, r, p = v[0], v[1], v[2]
		}
		if n < 2 || n&(n-1) != 0 {
			return "", "", fmt.Errorf("method %q: scrypt's N must be a power of 2 over 1", method)
		}
		if uint64(128)*uint64(n)*uint64(r)*uint64(p) > maxScryptMemory {
			return "", "", fmt.Errorf("method %q: scrypt would take over %d bytes (128·N·r·p)", method, maxScryptMemory)
		}
		key, err := scrypt.Key([]byte(password), []byte(salt), n, r, p, scryptKeyLen)
		if err != nil {
			return "", "", fmt.Errorf("method %q: %w", method, err)
		}
		return hex.EncodeToString(key), fmt.Sprintf("scrypt:%d:%d:%d", n, r, p), nil
	case "pbkdf2":
		hashName, iter := "sha256", defaultPBKDF2Iterations
		switch len(params) {
		case 0:
		case 1:
			hashName = params[0]
		case 2:
			hashName = params[0]
			v, err := positiveInts(params[1:], 1)
			if err != nil {
				return "", "", fmt.Errorf("method %q: pbkdf2's iterations: %w", method, err)
			}
			iter = v[0]
		default:
			return "", "", fmt.Errorf("method %q: pbkdf2 takes 2 arguments, HASH:ITERATIONS", method)
		}
		newHash := pbkdf2Hash(hashName)
		if newHash == nil {
			return "", "", fmt.Errorf("method %q: unknown hash %q for pbkdf2 (want one of %s)", method, hashName, strings.Join(pbkdf2Hashes, ", "))
		}
		if iter > maxPBKDF2Iterations {
			return "", "", fmt.Errorf("method %q: over %d pbkdf2 iterations", method, maxPBKDF2Iterations)
		}
		key, err := pbkdf2.Key(newHash, password, []byte(salt), iter, newHash().Size())
		if err != nil {
			return "", "", fmt.Errorf("method %q: %w", method, err)
		}
		return hex.EncodeToString(key), "pbkdf2:" + hashName + ":" + strconv.Itoa(iter), nil
	}
	return "", "", fmt.Errorf("unknown password hash method %q (want scrypt or pbkdf2, as Werkzeug writes them)", method)
}

// positiveInts parses exactly n decimal numbers over 0.
func positiveInts(s []string, n int) ([]int, error) {
	if len(s) != n {
		return nil, fmt.Errorf("got %d", len(s))
	}
	out := make([]int, n)
	for i, v := range s {
		x, err := strconv.Atoi(v)
		if err != nil || x < 1 {
			return nil, fmt.Errorf("%q is not a whole number over 0", v)
		}
		out[i] = x
	}
	return out, nil
}
