// Package bench compares flasky's dispatch with hand-written httprouter
// handlers, gin, echo, chi and http.ServeMux.
//
// It is a module of its own, so that gin, echo and chi never enter
// flasky's go.mod. It holds only benchmarks and the test that checks them;
// cmd/ratios runs them and prints each router's time as a ratio to raw
// httprouter. See BENCHMARKS.md at the repository root.
package bench
