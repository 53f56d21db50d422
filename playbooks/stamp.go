package playbooks

import "os"

// stampOf is the Stamp of the file at path (a link's target): its size
// and modification time, and where the system gives them (sysStamp) its
// inode and change time.
func stampOf(path string) (Stamp, error) {
	info, err := os.Stat(path)
	if err != nil {
		return Stamp{}, err
	}
	st := Stamp{Size: info.Size(), Mod: info.ModTime().UnixNano()}
	st.Inode, st.Change = sysStamp(info)
	return st, nil
}
