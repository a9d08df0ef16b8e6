// Package linkcheck holds only a test: it builds examples/hello and a
// plain net/http hello and checks what flasky adds to a program's binary,
// its size against the plain one's and the packages that must not be
// linked. Importing flasky must cost little; see BENCHMARKS.md, "Binary
// size".
package linkcheck
