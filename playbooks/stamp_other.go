//go:build !linux && !darwin

package playbooks

import "os"

// stampOf is the Stamp of the file at path (a link's target): its size
// and modification time only.
func stampOf(path string) (Stamp, error) {
	info, err := os.Stat(path)
	if err != nil {
		return Stamp{}, err
	}
	return Stamp{Size: info.Size(), Mod: info.ModTime().UnixNano()}, nil
}
