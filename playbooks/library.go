package playbooks

import (
	"bytes"
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/Masterminds/semver/v3"
)

//go:embed library
var embedded embed.FS

// EmbeddedName is how files of the embedded library are named in messages.
const EmbeddedName = "embedded"

// Embedded returns the default library built into the binary.
func Embedded() fs.FS {
	sub, err := fs.Sub(embedded, "library")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	return sub
}

// A File is one file's name (as shown in messages) and contents: Src, or
// when Src is nil, Read, which reads it (bounded by the size limit) when
// the file is parsed, so a large library need not be in memory at once.
type File struct {
	Name string
	Src  []byte
	Read func() ([]byte, error)
	// Head, when not nil, reads the file's first bytes: enough to tell
	// its kind (HeadKind) without reading it all.
	Head func() ([]byte, error)
	// Stamp, when not nil, says without reading the file whether it
	// changed (for an Index).
	Stamp func() (Stamp, error)
}

// headSize is how much of a file Head reads.
const headSize = 512

// head is the start of the file, or nil when it cannot be had cheaply.
func (f File) head() []byte {
	switch {
	case f.Src != nil:
		return f.Src[:min(len(f.Src), headSize)]
	case f.Head != nil:
		h, err := f.Head()
		if err != nil {
			return nil
		}
		return h
	}
	return nil
}

// HeadKind reads the kind a file names on its first key ("playbook/v1",
// "scenario/v1") from the start of its text, or "" when the start does not
// show it plainly. It is a cheap look for ordering work, not a parse: the
// loader still parses and checks the whole file.
func HeadKind(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' || line[0] == '%' || bytes.Equal(line, []byte("---")) {
			continue
		}
		line = bytes.TrimSpace(bytes.TrimPrefix(line, []byte("{")))
		rest, ok := bytes.CutPrefix(line, []byte("casebook:"))
		if !ok {
			return ""
		}
		rest = bytes.TrimSpace(rest)
		if len(rest) > 0 && (rest[0] == '"' || rest[0] == '\'') {
			q := rest[0]
			end := bytes.IndexByte(rest[1:], q)
			if end < 0 {
				return ""
			}
			return string(rest[1 : end+1])
		}
		end := bytes.IndexAny(rest, " \t,}#")
		if end < 0 {
			end = len(rest)
		}
		return string(rest[:end])
	}
	return ""
}

// bytes returns the file's contents.
func (f File) bytes() ([]byte, error) {
	if f.Src != nil || f.Read == nil {
		return f.Src, nil
	}
	return f.Read()
}

// IsYAML reports whether a file name has a YAML extension.
func IsYAML(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// ErrTooLarge is returned for a file over the size limit.
var ErrTooLarge = errors.New("file too large")

// ReadFS reads every YAML file under the root of fsys, in lexical order,
// naming each prefix/path and skipping hidden directories. Files over limit bytes become findings.
func ReadFS(fsys fs.FS, prefix string, limit int64) ([]File, []Finding, error) {
	var files []File
	var findings []Finding
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// Hidden directories (.git, .github, ...) hold no casebook files.
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !IsYAML(p) {
			return nil
		}
		name := path.Join(prefix, p)
		f, err := fsys.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		src, err := readLimited(f, limit)
		if errors.Is(err, ErrTooLarge) {
			findings = append(findings, tooLarge(name, limit))
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		files = append(files, File{Name: name, Src: src})
		return nil
	})
	return files, findings, err
}

// ListPaths is ReadPaths without reading: each file is read when it is
// parsed (File.Read), and a file over the limit is reported then.
func ListPaths(paths []string, limit int64) ([]File, []Finding, error) {
	var files []File
	var findings []Finding
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, nil, cleanPathError(err)
		}
		if !info.IsDir() {
			if !info.Mode().IsRegular() {
				return nil, nil, fmt.Errorf("%s: not a regular file", filepath.ToSlash(p))
			}
			files = append(files, File{Name: filepath.ToSlash(filepath.Clean(p)), Read: func() ([]byte, error) { return ReadFile(p, limit) },
				Head: func() ([]byte, error) { return readHead(p) }, Stamp: func() (Stamp, error) { return stampOf(p) }})
			continue
		}
		fs, err := walkLibrary(p, limit, &files)
		if err != nil {
			return nil, nil, err
		}
		findings = append(findings, fs...)
	}
	return files, findings, nil
}

// walkLibrary lists the YAML files under the directory root. Links to
// directories inside root are followed (each real directory once, so a
// link cannot make a loop); links leaving root are refused, as are those
// of files. A directory that cannot be read is a finding, and the walk goes
// on with the rest.
func walkLibrary(root string, limit int64, files *[]File) ([]Finding, error) {
	var findings []Finding
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, cleanPathError(err)
	}
	visited := map[string]bool{realRoot: true}
	// listed holds the real path of every file listed, so a file reached
	// twice (through a directory link and by its own path, or through a
	// file link) is listed once, under the name it was first met by.
	listed := map[string]bool{}
	prefix := filepath.ToSlash(filepath.Clean(root))
	// dirs holds the directories still to walk, by their path under root
	// as named in messages ("." for root itself), and their real paths.
	type todo struct{ rel, real string }
	dirs := []todo{{".", realRoot}}
	for len(dirs) > 0 {
		dir, dirReal := dirs[0].rel, dirs[0].real
		dirs = dirs[1:]
		err := fs.WalkDir(os.DirFS(filepath.Join(root, filepath.FromSlash(dir))), ".", func(p string, d fs.DirEntry, err error) error {
			rel := path.Join(dir, p)
			name := path.Join(prefix, rel)
			if err != nil {
				if d == nil && p == "." {
					return err
				}
				findings = append(findings, ErrorAt(name, Pos{1, 1}, RuleUnreadable, "the %s cannot be read: %s", entryKind(d), describeErrno(err)))
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if p != "." && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
				return nil
			}
			full := filepath.Join(root, filepath.FromSlash(rel))
			if d.Type()&fs.ModeSymlink != 0 {
				if info, err := os.Stat(full); err == nil && info.IsDir() {
					if strings.HasPrefix(d.Name(), ".") {
						return nil
					}
					real, why := insideRoot(realRoot, full)
					switch {
					case why != "":
						findings = append(findings, ErrorAt(name, Pos{1, 1}, RuleOutsideLibrary, "the directory %s", why))
					case !visited[real]:
						visited[real] = true
						dirs = append(dirs, todo{rel, real})
					}
					return nil
				}
			}
			if !IsYAML(rel) {
				return nil
			}
			if why := outside(realRoot, full, d); why != "" {
				findings = append(findings, Finding{File: name, Line: 1, Col: 1, Rule: RuleOutsideLibrary, Severity: SeverityError, Message: why})
				return nil
			}
			// WalkDir follows no link, so below a walked directory a file's
			// real path is the directory's and its own; a link is resolved.
			real := filepath.Join(dirReal, filepath.FromSlash(p))
			if d.Type()&fs.ModeSymlink != 0 {
				if r, err := filepath.EvalSymlinks(full); err == nil {
					real = r
				}
			}
			if listed[real] {
				return nil
			}
			listed[real] = true
			*files = append(*files, File{Name: name, Read: func() ([]byte, error) { return ReadFile(full, limit) },
				Head: func() ([]byte, error) { return readHead(full) }, Stamp: func() (Stamp, error) { return stampOf(full) }})
			return nil
		})
		if err != nil {
			return nil, cleanPathError(err)
		}
	}
	return findings, nil
}

func entryKind(d fs.DirEntry) string {
	if d != nil && d.IsDir() {
		return "directory"
	}
	return "file"
}

// insideRoot resolves the link at full and reports where it leads, or why
// it is refused.
func insideRoot(realRoot, full string) (real, why string) {
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		return "", "is a link that leads nowhere"
	}
	if !inside(realRoot, real) {
		return "", "links to a place outside the library; move it into the library instead"
	}
	return real, ""
}

// ReadPaths reads the named files, and every YAML file under the named
// directories (hidden directories skipped, links outside a directory
// refused). Names in messages are the paths as given, slash-separated. A
// path that does not exist is an error: the command cannot run.
func ReadPaths(paths []string, limit int64) ([]File, []Finding, error) {
	listed, findings, err := ListPaths(paths, limit)
	if err != nil {
		return nil, nil, err
	}
	files := make([]File, 0, len(listed))
	for _, f := range listed {
		src, err := f.Read()
		if err != nil {
			findings = append(findings, readFinding(f.Name, err))
			continue
		}
		files = append(files, File{Name: f.Name, Src: src})
	}
	return files, findings, nil
}

// outside reports whether the file full is a link whose target lies
// outside the library (realRoot, its links resolved), or not a regular
// file: a library cannot make casebook read files elsewhere on the
// machine, nor block on a FIFO.
func outside(realRoot, full string, d fs.DirEntry) string {
	if d.Type()&fs.ModeSymlink == 0 {
		if !d.Type().IsRegular() {
			return "the file is not a regular file"
		}
		return ""
	}
	real, why := insideRoot(realRoot, full)
	if why == "is a link that leads nowhere" {
		return "the file is a link that leads nowhere"
	}
	if why != "" {
		return "the file links to a place outside the library; copy it into the library instead"
	}
	if info, err := os.Stat(real); err != nil || !info.Mode().IsRegular() {
		return "the file links to something that is not a regular file"
	}
	return ""
}

func cleanPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %s", filepath.ToSlash(pe.Path), describeErrno(pe.Err))
	}
	return err
}

func describeErrno(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

// ReadFile reads at most limit bytes of a file, failing with ErrTooLarge
// beyond that.
func ReadFile(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, limit)
}

// readHead reads the first bytes of a file (headSize at most).
func readHead(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, headSize)
	n, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return buf[:n], err
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	src, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > limit {
		return nil, &tooLargeError{limit}
	}
	return src, nil
}

// tooLargeError is ErrTooLarge with the limit that was passed.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string        { return ErrTooLarge.Error() }
func (e *tooLargeError) Is(target error) bool { return target == ErrTooLarge }

func tooLarge(name string, limit int64) Finding {
	return Finding{File: name, Line: 1, Col: 1, Rule: RuleTooLarge, Severity: SeverityError,
		Message: fmt.Sprintf("the file is larger than the limit of %d bytes", limit)}
}

// A Library is the playbooks of a set of files, with every finding of
// loading and validating them, and the documents of other kinds it holds.
type Library struct {
	Playbooks []*Playbook
	Others    []*Document // parsed files of other kinds (scenario/v1, ...)
	Findings  []Finding

	// Dir is the directory the library was read from, as the user named
	// it, or "" for the embedded library. Commands a finding suggests
	// name it with --library, so they run as printed.
	Dir string

	indexOnce sync.Once
	byID      map[string][]*Playbook // newest first
	sorted    []*Playbook
}

// Load parses the files in parallel, validates every playbook and checks
// that no two playbooks share an id and version.
func Load(files []File) *Library { return LoadWith(files, LoadOptions{}) }

// LoadOptions tune Load.
type LoadOptions struct {
	// Slim keeps of every playbook only what lint's checks across files
	// need (file, id, version, product, the positions of id and version),
	// once Visit has seen it whole, and of a document Decode turned into a
	// model, not the text: for a lint of thousands of playbooks, memory
	// then stays near one file's worth per worker.
	Slim bool

	// Decode, when set, turns each parsed document of another kind than
	// playbook/v1 into its model, in the worker that parsed it. A non-nil
	// model is kept as the document's Model and its node tree dropped, so
	// a library of thousands of scenarios does not hold their trees. The
	// findings join the library's.
	Decode func(doc *Document) (model any, findings []Finding)

	// Visit, when set, sees every playbook whole, validated, in the worker
	// that decoded it and before Slim drops most of it. Files whose first
	// key names another kind than playbook/v1 (HeadKind) are loaded first,
	// all of them before any playbook, so Visit can check each playbook
	// against the scenarios Decode has seen. Visit and Decode run concurrently with themselves.
	Visit func(p *Playbook)

	// Skip, when set, is asked about each file once it is read, before it
	// is parsed; a file it skips is left out of the library altogether.
	// It runs concurrently with itself, after every scenario file loaded.
	Skip func(name string, src []byte) bool

	// Progress, when set, is told after each file how many of the files
	// are done. It runs concurrently with itself and must be quick; the
	// caller decides whether and how often to show it.
	Progress func(done, total int)
}

// parallel runs fn(0..n-1) on all cores.
func parallel(n int, fn func(i int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Go(func() {
			for i := range work {
				fn(i)
			}
		})
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
}

// LoadWith is Load with options.
func LoadWith(files []File, opt LoadOptions) *Library {
	type result struct {
		doc *Document
		pb  *Playbook
		fs  []Finding
	}
	results := make([]result, len(files))
	var finished atomic.Int64
	load := func(i int, mayskip bool) {
		if opt.Progress != nil {
			defer func() { opt.Progress(int(finished.Add(1)), len(files)) }()
		}
		src, err := files[i].bytes()
		if err != nil {
			results[i] = result{fs: []Finding{readFinding(files[i].Name, err)}}
			return
		}
		if mayskip && opt.Skip != nil && opt.Skip(files[i].Name, src) {
			return
		}
		doc, fs := ParseDocument(files[i].Name, src)
		r := result{doc: doc, fs: fs}
		switch {
		case doc.Root != nil && doc.Kind == KindPlaybook:
			pb, more := DecodePlaybook(doc)
			r.pb = pb
			r.fs = append(append(r.fs, more...), Validate(pb)...)
			// The node tree and the text are done with: a library of
			// thousands of playbooks keeps only their models. Source reads
			// the text again when a command needs it.
			r.doc, pb.Src = nil, nil
			if opt.Visit != nil {
				opt.Visit(pb)
			}
			if opt.Slim {
				pb.slim()
			}
		case doc.Root != nil && opt.Decode != nil:
			m, more := opt.Decode(doc)
			r.fs = append(r.fs, more...)
			if m != nil {
				doc.Model, doc.Root = m, nil
				if opt.Slim {
					doc.Src = nil
				}
			}
		}
		// Decoding and validating each bound their findings; together
		// they may still pass the cap of a rule.
		r.fs = CapFindings(r.fs)
		results[i] = r
	}
	// Files of other kinds (scenarios) first, then the playbooks (see
	// Visit), by the kind each names on its first line. A file whose start
	// does not show its kind goes with the playbooks; it is loaded all the
	// same.
	kinds := make([]string, len(files))
	parallel(len(files), func(i int) { kinds[i] = HeadKind(files[i].head()) })
	var first, rest []int
	for i := range files {
		if k := kinds[i]; k != "" && k != KindPlaybook {
			first = append(first, i)
		} else {
			rest = append(rest, i)
		}
	}
	parallel(len(first), func(k int) { load(first[k], false) })
	parallel(len(rest), func(k int) { load(rest[k], true) })

	lib := &Library{}
	for _, r := range results {
		lib.Findings = append(lib.Findings, r.fs...)
		switch {
		case r.pb != nil:
			lib.Playbooks = append(lib.Playbooks, r.pb)
		case r.doc != nil && (r.doc.Root != nil || r.doc.Model != nil) && r.doc.Kind != KindPlaybook:
			lib.Others = append(lib.Others, r.doc)
		}
	}
	lib.duplicates()
	SortFindings(lib.Findings)
	return lib
}

func (l *Library) duplicates() {
	first := map[string]*Playbook{}
	for _, p := range l.Playbooks {
		if p.ID == "" || p.Version == "" {
			continue
		}
		key := p.ID + "@" + p.Version
		if q, dup := first[key]; dup {
			pos := p.Pos["id"]
			l.Findings = append(l.Findings, ErrorAt(p.File, pos, RuleDuplicateID, "playbook %s version %s is also defined in %s", p.ID, p.Version, q.File))
			continue
		}
		first[key] = p
	}
}

// Find returns the newest version of the playbook with the id, or nil.
func (l *Library) Find(id string) *Playbook {
	if vs := l.Versions(id); len(vs) > 0 {
		return vs[0]
	}
	return nil
}

// Versions returns the playbooks with the id, newest first.
func (l *Library) Versions(id string) []*Playbook {
	l.indexOnce.Do(func() {
		l.byID = map[string][]*Playbook{}
		for _, p := range l.Sorted() {
			l.byID[p.ID] = append(l.byID[p.ID], p)
		}
	})
	return l.byID[id]
}

// MadeOn finds the playbook to replay an attempt made on playbook id at
// version: that version when the library has it (exact), else the newest
// of the id that differs from it only in the patch version (a review
// sign-off bumps the patch without changing the graph), else nil. A new
// minor or major version may have changed the graph.
func (l *Library) MadeOn(id, version string) (p *Playbook, exact bool) {
	vs := l.Versions(id)
	for _, p := range vs {
		if p.Version == version {
			return p, true
		}
	}
	for _, p := range vs {
		if p.version != nil && PatchOnly(version, p.Version) {
			return p, false
		}
	}
	return nil, false
}

// PatchOnly reports whether two versions have the same major and minor
// version, so that they differ at most in the patch. A version that is not
// semver matches none.
func PatchOnly(a, b string) bool {
	va, err := semver.NewVersion(a)
	if err != nil {
		return false
	}
	vb, err := semver.NewVersion(b)
	if err != nil {
		return false
	}
	return va.Major() == vb.Major() && va.Minor() == vb.Minor()
}

// Source returns the text of a playbook's file: kept from parsing a single
// file, or read again (from disk or the embedded library) for a playbook
// of a library, which keeps only models.
func Source(p *Playbook) ([]byte, error) {
	if p.Src != nil {
		return p.Src, nil
	}
	if rest, ok := strings.CutPrefix(p.File, EmbeddedName+"/"); ok {
		return fs.ReadFile(Embedded(), rest)
	}
	return ReadFile(filepath.FromSlash(p.File), DefaultMaxFileSize*16)
}

func newer(a, b *Playbook) bool {
	if a.version == nil || b.version == nil {
		return a.version != nil
	}
	return a.version.GreaterThan(b.version)
}

// Sorted returns the playbooks ordered by id, newest version first.
func (l *Library) Sorted() []*Playbook {
	if l.sorted != nil && len(l.sorted) == len(l.Playbooks) {
		return l.sorted
	}
	out := slices.Clone(l.Playbooks)
	slices.SortStableFunc(out, func(a, b *Playbook) int {
		if c := cmp.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		if newer(a, b) {
			return -1
		}
		if newer(b, a) {
			return 1
		}
		return 0
	})
	l.sorted = out
	return out
}

// IDs lists the distinct playbook ids, sorted.
func (l *Library) IDs() []string {
	var ids []string
	for _, p := range l.Sorted() {
		if len(ids) == 0 || ids[len(ids)-1] != p.ID {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

// readFinding reports a file that could not be read when it was parsed.
func readFinding(name string, err error) Finding {
	var big *tooLargeError
	if errors.As(err, &big) {
		return tooLarge(name, big.limit)
	}
	cause := errors.Unwrap(err)
	if cause == nil {
		cause = err
	}
	return Finding{File: name, Line: 1, Col: 1, Rule: RuleUnreadable, Severity: SeverityError,
		Message: "the file cannot be read: " + describeErrno(cause)}
}
