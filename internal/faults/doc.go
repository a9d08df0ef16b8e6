// Package faults holds flasky's fault tests: bounded runs on a loopback
// listener that treat the server the way bad networks and bad code do.
// The package has no code of its own; its tests use only flasky's public
// API, and cmd/faultapp is the program they run as a separate process.
//
//	go test -v ./internal/faults                      # every case, short soak
//	FLASKY_SOAK=60s go test -count=1 -v ./internal/faults -run Soak
//
// Each test prints with t.Logf what it tried and what held:
//
//   - TestSlowClientsDoNotStarveOthers: 300 clients that send their
//     headers one byte per second, while normal clients keep their p99
//     within 5x of its idle value.
//   - TestPanicsAreAnswered: half of 20000 requests panic; every request
//     is answered, and goroutines and heap return to their baseline.
//   - TestSIGTERMFinishesAcceptedRequests: SIGTERM during load; every
//     request the server started is answered in full, and the process
//     exits within its grace time, also when a request outlives it.
//   - TestSoakMixedRoutes: the examples' routes for FLASKY_SOAK (default
//     5s); RSS and goroutines flat after warm-up (growth under 10%).
//
// Under -race the panic test runs a tenth of its requests; CI runs this
// package once more without -race, at full scale and with a 60s soak.
package faults
