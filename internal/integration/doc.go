// Package integration tests flasky with the libraries Go teams plug into
// production servers (OpenTelemetry's otelhttp, Prometheus'
// client_golang), the real ones, in a module of its own so that none of
// them enters flasky's go.mod.
package integration
