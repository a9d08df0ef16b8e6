// Package nginx holds flasky.conf, an nginx configuration that puts
// several instances of a flasky app behind one address, so that the
// program in cluster/ checks the very file users copy.
package nginx

import _ "embed"

// SiteConf is flasky.conf: an upstream of two instances on
// 127.0.0.1:8081 and 127.0.0.1:8082 and a server on 127.0.0.1:8080 that
// forwards to them, for nginx's http block.
//
//go:embed flasky.conf
var SiteConf string
