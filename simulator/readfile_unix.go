//go:build unix

package simulator

import (
	"errors"
	"os"
	"syscall"
)

// readFile appends the contents of the file at path to buf, reading at
// most limit bytes in all. It uses the system calls directly: os.Open
// also registers each file with the runtime's poller (five more calls
// that fail or do nothing for a regular file), which is most of the cost
// of a report that opens a hundred thousand small files. The file is
// opened non-blocking, so a FIFO or device in the attempts directory is
// an error rather than a hang.
func readFile(path string, buf []byte, limit int) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, make([]byte, max(4096, cap(buf)))...)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):min(cap(buf), limit)])
		switch {
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EAGAIN):
			return nil, &os.PathError{Op: "read", Path: path, Err: errors.New("not a regular file")}
		case err != nil:
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		case n == 0:
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
	return buf, nil
}
