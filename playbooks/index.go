package playbooks

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// An Index remembers the Header of each file of a library directory, with
// the size and modification time it had when read, so a command that
// needs one playbook finds its files without reading the others. An entry
// is believed only while the file's size and modification time are what
// they were, and not at all when the file was modified within two seconds of
// the index being written or later than now (a clock that jumps, a writer
// that kept writing): such a file is read again.
type Index struct {
	root    string
	build   string
	written time.Time
	entries map[string]indexEntry
	changed bool
}

type indexEntry struct {
	stamp Stamp
	head  Header
}

// A Stamp is what tells that a file changed without reading it: its size,
// its modification time, and where the system gives them its inode and
// change time (which no program sets back, unlike the modification time a
// copy may keep).
type Stamp struct {
	Size, Mod, Change int64 // bytes, Unix nanoseconds
	Inode             uint64
}

// indexFormat is the first line of an index file: its number goes up
// whenever PeekHeader reads differently, so no entry an older reader made
// is believed.
const indexFormat = "casebook index 2"

// indexPath is where the index of the library at root is kept under dir:
// one per library and user (what a user may read is theirs to know).
func indexPath(dir, root string) string {
	abs, err := filepath.Abs(root)
	if err != nil {
		abs = root
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d", abs, os.Getuid())))
	return filepath.Join(dir, "index-"+hex.EncodeToString(sum[:8]))
}

// OpenIndex reads the index of the library at root kept in the directory
// dir by the same build of casebook (build names it: an index another
// build wrote is not believed); a missing, unreadable or damaged index is
// an empty one (it is only ever a cache).
func OpenIndex(dir, root, build string) *Index {
	x := &Index{root: root, build: build, entries: map[string]indexEntry{}}
	if dir == "" {
		return x
	}
	f, err := os.Open(indexPath(dir, root))
	if err != nil {
		return x
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	if !sc.Scan() || sc.Text() != indexFormat || !sc.Scan() || sc.Text() != strings.ReplaceAll(build, "\n", " ") || !sc.Scan() {
		return x
	}
	wrote, count, _ := strings.Cut(sc.Text(), " ")
	written, err := strconv.ParseInt(wrote, 10, 64)
	if err != nil {
		return x
	}
	if n, err := strconv.Atoi(count); err == nil && n > 0 && n < 1<<24 {
		x.entries = make(map[string]indexEntry, n)
	}
	x.written = time.Unix(0, written)
	for sc.Scan() {
		// name size mod change inode kind id pins, tab-separated.
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 8 {
			return &Index{root: root, build: build, entries: map[string]indexEntry{}}
		}
		var st Stamp
		var errs [4]error
		st.Size, errs[0] = strconv.ParseInt(fields[1], 10, 64)
		st.Mod, errs[1] = strconv.ParseInt(fields[2], 10, 64)
		st.Change, errs[2] = strconv.ParseInt(fields[3], 10, 64)
		st.Inode, errs[3] = strconv.ParseUint(fields[4], 10, 64)
		if errs != [4]error{} {
			return &Index{root: root, build: build, entries: map[string]indexEntry{}}
		}
		x.entries[fields[0]] = indexEntry{st, Header{Kind: fields[5], ID: fields[6], Pins: fields[7], OK: fields[5] != ""}}
	}
	return x
}

// Heads is the Header of every listed file: from the index while the
// file is as it was, else read from the file (on all cores) and
// remembered.
func (x *Index) Heads(files []File, now time.Time) []Header {
	out := make([]Header, len(files))
	stamps := make([]Stamp, len(files))
	known := make([]bool, len(files))
	// The stamps first, on every core: a stat a file.
	each(len(files), func(i int) {
		if f := files[i]; f.Stamp != nil {
			st, err := f.Stamp()
			stamps[i], known[i] = st, err == nil
		}
	})
	var todo []int
	for i, f := range files {
		if e, ok := x.entries[f.Name]; ok && known[i] && stamps[i] == e.stamp && x.settled(stamps[i], now) {
			out[i] = e.head
			continue
		}
		todo = append(todo, i)
	}
	each(len(todo), func(j int) {
		i := todo[j]
		f := files[i]
		switch {
		case f.Src != nil:
			out[i] = PeekHeader(f.Src)
		case f.Read != nil:
			if src, err := f.Read(); err == nil {
				out[i] = PeekHeader(src)
			}
		}
	})
	for _, i := range todo {
		name := files[i].Name
		if known[i] && x.settled(stamps[i], now) {
			x.entries[name] = indexEntry{stamps[i], out[i]}
			x.changed = true
		} else if _, ok := x.entries[name]; ok {
			delete(x.entries, name)
			x.changed = true
		}
	}
	return out
}

// each calls fn(0), ..., fn(n-1) on every core.
func each(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// settled reports whether a file of that stamp can be believed unchanged
// while its stamp stays: it was modified and changed more than two seconds
// (the rounding of some file systems) before the index was written, or
// before now for an entry not written yet, and neither time is after now.
func (x *Index) settled(st Stamp, now time.Time) bool {
	last := time.Unix(0, max(st.Mod, st.Change))
	if st.Mod == 0 || last.After(now) {
		return false
	}
	at := now
	if !x.written.IsZero() && x.written.Before(now) {
		at = x.written
	}
	return at.Sub(last) > settleTime
}

// settleTime is how long before the index a file must have been last
// touched for its stamp to be believed: more than the two seconds FAT
// rounds modification times to.
const settleTime = 2 * time.Second

// Save writes the index back under dir when it changed, keeping only the
// files listed (a deleted or renamed file's entry goes). A failure to
// write is the caller's to ignore: the index is only a cache.
func (x *Index) Save(dir string, files []File, now time.Time) error {
	keep := make(map[string]bool, len(files))
	for _, f := range files {
		keep[f.Name] = true
	}
	for name := range x.entries {
		if !keep[name] {
			delete(x.entries, name)
			x.changed = true
		}
	}
	if !x.changed {
		return nil
	}
	// Entries are settled against the time the index is written.
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n%s\n%d %d\n", indexFormat, strings.ReplaceAll(x.build, "\n", " "), now.UnixNano(), len(files))
	saved := &Index{written: now}
	for _, f := range files {
		e, ok := x.entries[f.Name]
		if !ok || !saved.settled(e.stamp, now) || strings.ContainsAny(f.Name, "\t\n") {
			continue
		}
		fmt.Fprintf(&b, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", f.Name, e.stamp.Size, e.stamp.Mod, e.stamp.Change, e.stamp.Inode, e.head.Kind, e.head.ID, e.head.Pins)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return WriteFileAtomic(indexPath(dir, x.root), b.Bytes(), 0o600, true)
}

// StampsKey is a key that changes whenever any of the files changes: the
// names and Stamps of all of them. settled is false when one was touched
// within two seconds of now or later, or has no stamp: a result computed
// from them may then not be kept.
func StampsKey(files []File, now time.Time) (key string, settled bool) {
	stamps := make([]Stamp, len(files))
	ok := make([]bool, len(files))
	each(len(files), func(i int) {
		if files[i].Stamp != nil {
			st, err := files[i].Stamp()
			stamps[i], ok[i] = st, err == nil
		}
	})
	h := sha256.New()
	settled = true
	probe := &Index{}
	for i, f := range files {
		fmt.Fprintf(h, "%s\x00%d %d %d %d\x00", f.Name, stamps[i].Size, stamps[i].Mod, stamps[i].Change, stamps[i].Inode)
		if !ok[i] || !probe.settled(stamps[i], now) {
			settled = false
		}
	}
	return hex.EncodeToString(h.Sum(nil)), settled
}

// CachePath is the file under dir that keeps what a command computed
// from the library at root (name tells the commands' results apart).
func CachePath(dir, root, name string) string { return indexPath(dir, root) + "-" + name }
