package main

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scenarios"
	"github.com/casebook/casebook/scoring"
	"github.com/casebook/casebook/simulator"
	"github.com/spf13/cobra"
)

// factory holds what commands share: streams, the prompter, the clock and
// the library, loaded once and only when a command asks for it.
type factory struct {
	streams  *ioStreams
	prompter prompter
	now      func() time.Time
	getenv   func(string) string

	libraryDir string    // --library
	color      colorMode // --color
	maxSize    int64

	// interrupts delivers Ctrl-C to commands that wait on input; nil
	// means the process's SIGINT.
	interruptCh <-chan os.Signal

	once sync.Once
	lib  *loadedLibrary
	err  error
	// focus, set before the library loads, names the one playbook or
	// scenario a command needs: only its files are loaded (focused), and
	// partial says so.
	focus   []string
	partial bool
}

// loadedLibrary is a whole library, as scenarios.LoadFiles loads it.
type loadedLibrary = scenarios.Bundle

// How much of a library a command loads.
type loadMode = scenarios.LoadMode

const (
	loadAll    = scenarios.LoadAll
	loadSlim   = scenarios.LoadSlim   // lint: every check, little of each playbook kept
	loadPinned = scenarios.LoadPinned // report: only the playbooks scenarios pin
)

// loadFiles loads a library's files of every kind, with the checks that
// live above the scenarios package: the scoring rules traps name, and
// golden paths that use what a scenario lists as removed. progress, when
// not nil, is told how many files are done (progress.go).
func loadFiles(files []playbooks.File, readFindings []playbooks.Finding, source string, mode loadMode, progress *progressLine) *loadedLibrary {
	defer progress.clear()
	return scenarios.LoadFiles(files, readFindings, source, mode, libraryChecks, progress.callback())
}

// libraryChecks are the checks of a loaded library that need the scoring
// rules or the simulator.
func libraryChecks(sl *scenarios.Library) []playbooks.Finding {
	return append(scoring.CheckTrapFindings(sl), simulator.CheckStaleGoldenPaths(sl)...)
}

func newFactory(streams *ioStreams) *factory {
	return &factory{
		streams:  streams,
		prompter: safePrompter{&surveyPrompter{streams: streams}},
		now:      time.Now,
		getenv:   os.Getenv,
		maxSize:  playbooks.DefaultMaxFileSize,
		color:    colorAuto,
	}
}

// interrupts returns a channel that receives Ctrl-C.
func (f *factory) interrupts() <-chan os.Signal {
	if f.interruptCh == nil {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, os.Interrupt)
		f.interruptCh = ch
	}
	return f.interruptCh
}

// libraryRoot is the library directory from --library or CASEBOOK_LIBRARY,
// or "" for the embedded library.
func (f *factory) libraryRoot() string {
	if f.libraryDir != "" {
		return f.libraryDir
	}
	return f.getenv("CASEBOOK_LIBRARY")
}

// library loads the library once.
func (f *factory) library() (*loadedLibrary, error) { return f.libraryWith(loadAll) }

// libraryWith is library, loading as much as mode says (the first call
// decides).
func (f *factory) libraryWith(mode loadMode) (*loadedLibrary, error) {
	f.once.Do(func() {
		var files []playbooks.File
		var findings []playbooks.Finding
		root := f.libraryRoot()
		source := playbooks.EmbeddedName
		if root != "" {
			if f.err = libraryDirError(root); f.err != nil {
				return
			}
			source = root
			files, findings, f.err = playbooks.ListPaths([]string{root}, f.maxSize)
		} else {
			files, findings, f.err = scenarios.EmbeddedFiles(f.maxSize)
		}
		if f.err != nil {
			return
		}
		if root != "" && mode == loadAll && len(f.focus) > 0 && f.getenv("CASEBOOK_INDEX") != "off" {
			if sub, ok := f.focused(root, files); ok {
				// What the command does not use is not loaded, and its
				// problems (reading other files) are not the command's.
				files, findings, f.partial = sub, nil, true
			}
		}
		f.lib = loadFiles(files, findings, source, mode, f.progress("loading", "files"))
	})
	return f.lib, f.err
}

// focusOn makes the library load only what the command needs of it: the
// files of the playbooks or scenarios named by ids (and the playbooks the
// scenarios pin). It does nothing once the library is loaded.
func (f *factory) focusOn(ids ...string) {
	if f.lib == nil && f.err == nil {
		f.focus = ids
	}
}

// wholeLibrary is the whole library, loaded again if the command's focus
// left some of it out: for a message that lists what the library has.
func (f *factory) wholeLibrary() (*loadedLibrary, error) {
	lib, err := f.library()
	if err != nil || !f.partial {
		return lib, err
	}
	files, findings, err := playbooks.ListPaths([]string{f.libraryRoot()}, f.maxSize)
	if err != nil {
		return nil, err
	}
	return loadFiles(files, findings, f.libraryRoot(), loadAll, nil), nil
}

// focused picks of a library's files those the focus needs, by their
// headers (playbooks.Index, kept under the user's cache directory): every
// file of each playbook id named or pinned by a scenario named, every
// file of each scenario named, and every file whose header does not say
// plainly what it is. It reports false, to load everything, when no file
// says it holds what the focus names: the command then says what there is.
func (f *factory) focused(root string, files []playbooks.File) ([]playbooks.File, bool) {
	dir := f.cacheDir()
	x := playbooks.OpenIndex(dir, root, versionString()+" "+executableStamp())
	now := f.now()
	heads := x.Heads(files, now)
	if dir != "" {
		x.Save(dir, files, now) // only a cache: a failure costs the next run time
	}
	named := map[string]bool{}
	for _, id := range f.focus {
		named[id] = true
	}
	playbookIDs := maps.Clone(named)
	found := false
	for _, h := range heads {
		switch {
		case !h.OK:
		case h.Kind == playbooks.KindPlaybook && named[h.ID]:
			found = true
		case h.Kind == scenarios.Kind && named[h.ID]:
			found = true
			playbookIDs[h.Pins] = true
		}
	}
	if !found {
		return nil, false
	}
	var sub []playbooks.File
	for i, h := range heads {
		if !h.OK || h.Kind == playbooks.KindPlaybook && playbookIDs[h.ID] || h.Kind == scenarios.Kind && named[h.ID] {
			sub = append(sub, files[i])
		}
	}
	return sub, true
}

// cacheDir is where casebook keeps what it can always compute again:
// $XDG_CACHE_HOME/casebook (or the system's cache directory), "" when
// there is none.
func (f *factory) cacheDir() string {
	if d := f.getenv("XDG_CACHE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "casebook")
	}
	if h := f.getenv("HOME"); h != "" && filepath.IsAbs(h) {
		return filepath.Join(h, ".cache", "casebook")
	}
	return ""
}

// playbook finds a playbook by id and refuses one with errors: walking a
// broken graph would mislead the agent.
func (f *factory) playbook(id string) (*playbooks.Playbook, error) {
	lib, err := f.library()
	if err != nil {
		return nil, err
	}
	p := lib.Find(id)
	if p == nil {
		if lib, err = f.wholeLibrary(); err != nil {
			return nil, err
		}
		known := lib.IDs()
		if len(known) == 0 {
			return nil, usageErrorf("no playbook %q: the library %s holds no playbooks", id, lib.Source)
		}
		return nil, usageErrorf("no playbook %q in library %s; known: %s", id, lib.Source, strings.Join(known, ", "))
	}
	if err := f.refuseBroken(lib, "playbook", id, p.File); err != nil {
		return nil, err
	}
	return p, nil
}

// refuseBroken prints the errors found in a file and refuses to use it:
// walking or training on a broken file would mislead the agent.
func (f *factory) refuseBroken(lib *loadedLibrary, kind, id, file string) error {
	n := 0
	for _, fd := range lib.Problems {
		if fd.File == file && fd.Severity == playbooks.SeverityError {
			fmt.Fprintln(f.streams.ErrOut, fd)
			n += playbooks.Total([]playbooks.Finding{fd})
		}
	}
	if n > 0 {
		return &exitError{code: exitFindings, err: fmt.Errorf("%s %s has %d problem(s); fix them first (%s)", kind, id, n, playbooks.CommandLine("lint", file))}
	}
	return nil
}

func newRootCmd(f *factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "casebook",
		Short: "Playbooks, training and a freshness gate for customer-support teams",
		Long: `casebook keeps a support team's know-how in versioned YAML playbooks.

Agents walk live cases through a playbook (casebook run), new agents practise
recorded cases against it, and the release process checks that no playbook
points at UI, settings or docs the product no longer has.

With no --library (or CASEBOOK_LIBRARY), commands use the library built into
casebook, so every command can be tried right after install.

` + exitCodesHelp,
		Example: `  casebook list
  casebook show https-link-branding
  casebook run https-link-branding --tier L1   # on a terminal
  casebook lint ./my-library`,
		Version:       versionString(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate("casebook {{.Version}}\n")
	root.SetOut(f.streams.Out)
	root.SetErr(f.streams.ErrOut)
	root.SetIn(f.streams.In)
	root.PersistentFlags().StringVar(&f.libraryDir, "library", "", "library `DIR` of playbooks (default: $CASEBOOK_LIBRARY, else the embedded library)")
	root.PersistentFlags().Var(&sizeFlag{&f.maxSize}, "max-file-size", "refuse files larger than `SIZE` (e.g. 4MB, 512KB)")
	root.PersistentFlags().Var(&f.color, "color", "colour `WHEN`: auto (on a terminal, none with NO_COLOR or TERM=dumb), always or never")
	completeFlag(root, "library", completeDirs)
	completeFlag(root, "color", completeValues(colorModes...))
	root.PersistentPreRunE = func(c *cobra.Command, _ []string) error {
		f.applyColor()
		return refuseDashDirs(c)
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		var usage *exitError
		if errors.As(err, &usage) {
			return usage // -o's own message already names the flag and its values
		}
		return usageErrorf("%s (see %s --help)", flagErrorText(err), c.CommandPath())
	})
	root.AddCommand(
		newLintCmd(f),
		newListCmd(f),
		newShowCmd(f),
		newRunCmd(f),
		newTrainCmd(f),
		newReplayCmd(f),
		newReportCmd(f),
		newDiffCmd(f),
		newChangesCmd(f),
		newExportCmd(f),
		newCoverageCmd(f),
		newReleaseCmd(f),
		newNewCmd(f),
		newInitCmd(f),
		newSchemaCmd(f),
		newStoreCmd(f),
		newServeCmd(f),
		newUsersCmd(f),
		newDocsCmd(f),
	)
	root.InitDefaultCompletionCmd() // now, so that its group is covered too
	refuseUnknownCommands(root)
	return root
}

// Main runs casebook with the process's arguments and streams and returns
// the exit code.
func Main() int {
	// CASEBOOK_CPUPROFILE=FILE writes a CPU profile of the run, for
	// performance work (BENCHMARKS.md).
	if name := os.Getenv("CASEBOOK_CPUPROFILE"); name != "" {
		if f, err := os.Create(name); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer func() {
					pprof.StopCPUProfile()
					f.Close()
				}()
			}
		}
	}
	return run(os.Args[1:], systemStreams())
}

func run(args []string, streams *ioStreams) int {
	return runWith(args, streams, nil)
}

// runWith runs casebook, letting tests adjust the factory first.
func runWith(args []string, streams *ioStreams, adjust func(*factory)) (code int) {
	defer func() {
		if r := recover(); r != nil {
			msg := strings.Join(strings.Fields(fmt.Sprint(r)), " ")
			fmt.Fprintf(streams.ErrOut, "casebook: internal error: %s (a bug in casebook: please report it with the command you ran)\n", msg)
			code = exitBug
		}
	}()
	f := newFactory(streams)
	if adjust != nil {
		adjust(f)
	}
	root := newRootCmd(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return exitOK
	}
	err = argsErrorText(cmd, err)
	var e *exitError
	if !errors.As(err, &e) || !e.silent {
		fmt.Fprintf(streams.ErrOut, "casebook: %v\n", err)
	}
	if errors.Is(err, errInterrupted) {
		return exitInterrupted
	}
	return exitCode(err)
}

// flagValueError matches pflag's message for a value that does not parse:
// invalid argument "abc" for "--top" flag: strconv.ParseInt: ...
var flagValueError = regexp.MustCompile(`^invalid argument "(.*)" for "(.+)" flag: strconv\.Parse(Int|Uint|Float|Bool): .*$`)

// flagErrorText words a flag error for a person: a value that is not a
// number says so, without Go's parser in the message.
func flagErrorText(err error) string {
	m := flagValueError.FindStringSubmatch(err.Error())
	if m == nil {
		return err.Error()
	}
	want := map[string]string{"Int": "a whole number", "Uint": "a whole number, 0 or more", "Float": "a number", "Bool": "true or false"}[m[3]]
	return fmt.Sprintf("%s %q: want %s", strings.TrimSuffix(m[2], " flag"), m[1], want)
}

// dirFlags name directories: "-" (stdout) means nothing there.
var dirFlags = []string{"dir", "attempts", "library"}

// refuseDashDirs refuses "-" given to a flag that names a directory: it
// would quietly make a directory called "-".
func refuseDashDirs(c *cobra.Command) error {
	for _, name := range dirFlags {
		if fl := c.Flags().Lookup(name); fl != nil && fl.Changed && fl.Value.String() == "-" {
			return usageErrorf("--%s -: a directory is wanted here (- means standard output only for file outputs such as --out and --log)", name)
		}
	}
	return nil
}

// argsCountError matches cobra's messages for a wrong number of arguments.
var argsCountError = regexp.MustCompile(`^(accepts|requires at least|requires at most|accepts between) .*arg\(s\), (received|only received) \d+$`)

// argsErrorText words cobra's "accepts 1 arg(s), received 0" as what the
// command wants, from its usage line: a usage error (exit 2).
func argsErrorText(cmd *cobra.Command, err error) error {
	if cmd == nil || !argsCountError.MatchString(err.Error()) {
		return err
	}
	use := strings.TrimSpace(strings.TrimPrefix(cmd.Use, cmd.Name()))
	if use == "" {
		return usageErrorf("%s takes no arguments (see %s --help)", cmd.CommandPath(), cmd.CommandPath())
	}
	return usageErrorf("usage: %s %s (see %s --help)", cmd.CommandPath(), use, cmd.CommandPath())
}

// libraryDirError says why a library path cannot be read as one, in the
// words every command uses, or nil.
func libraryDirError(root string) error {
	info, err := os.Stat(root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return usageErrorf("library %s: no such directory", filepath.ToSlash(root))
	case err != nil:
		return usageErrorf("library %s: %v", filepath.ToSlash(root), errors.Unwrap(err))
	case !info.IsDir():
		return usageErrorf("library %s is not a directory", filepath.ToSlash(root))
	}
	return nil
}
