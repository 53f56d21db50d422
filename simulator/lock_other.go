//go:build !(linux || darwin || freebsd)

package simulator

import "os"

// lockFile does nothing where flock is not available: a second session on
// one attempt is not refused there.
func lockFile(*os.File, string) error { return nil }
