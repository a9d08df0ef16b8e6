// Package bench compares flasky's dispatch with hand-written httprouter
// handlers, gin, echo, chi and http.ServeMux.
//
// It is a module of its own, so that gin, echo and chi never enter
// flasky's go.mod. Its package holds only benchmarks and the tests that
// check them. The commands:
//
//   - cmd/e2e: the whole performance report in one command (end-to-end
//     load with wrk against flasky, its Go peers and Flask; cold start and
//     binary size; these benchmarks; uploads; the goals; a bar chart).
//   - cmd/ratios: these benchmarks alone, each router's time as a ratio
//     to raw httprouter.
//   - cmd/upload: big uploads, time and peak memory.
//   - cmd/peers, cmd/flasky-static, cmd/flasky-complex and cmd/hello/*:
//     servers cmd/e2e runs.
//
// See BENCHMARKS.md at the repository root.
package bench
