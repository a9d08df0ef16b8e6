//go:build !unix

package flasky

import "net"

// activatedListener: socket activation passes descriptors the Unix way;
// elsewhere Run always listens itself.
func activatedListener() (net.Listener, error) { return nil, nil }
