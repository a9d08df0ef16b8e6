//go:build race

package faults_test

// raceEnabled is true when the tests run under the race detector, which
// makes each request several times slower.
const raceEnabled = true
