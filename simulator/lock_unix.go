//go:build linux || darwin || freebsd

package simulator

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// lockFile takes an exclusive lock on f for as long as it stays open, or
// fails at once with *AttemptBusyError when another open file holds it.
// flock locks belong to the open file, so a second session in the same
// process is refused too.
func lockFile(f *os.File, path string) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return &AttemptBusyError{Path: path, PID: lockHolder(f)}
		default:
			return &os.PathError{Op: "lock", Path: path, Err: err}
		}
	}
}

// lockHolder finds the process holding the flock on f in /proc/locks
// (Linux), or 0.
func lockHolder(f *os.File) int {
	info, err := f.Stat()
	if err != nil {
		return 0
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0
	}
	locks, err := os.Open("/proc/locks")
	if err != nil {
		return 0
	}
	defer locks.Close()
	dev := uint64(st.Dev)
	major := (dev>>8)&0xfff | (dev>>32)&^0xfff
	minor := dev&0xff | (dev>>12)&^0xff
	want := fmt.Sprintf("%02x:%02x:%d", major, minor, st.Ino)
	sc := bufio.NewScanner(locks)
	for sc.Scan() {
		// 1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF
		fields := bytes.Fields(sc.Bytes())
		if len(fields) < 6 || string(fields[1]) != "FLOCK" || string(fields[5]) != want {
			continue
		}
		if pid, err := strconv.Atoi(string(fields[4])); err == nil && pid != os.Getpid() {
			return pid
		}
	}
	return 0
}
