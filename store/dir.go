package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/casebook/casebook/simulator"
)

// dirStore is today's attempt files: one per attempt, written by a
// simulator.Journal; a ref is the file's path.
type dirStore struct{ dir string }

func openDir(dir string, opts Options) (Store, error) {
	info, err := os.Stat(dir)
	switch {
	case err == nil && !info.IsDir():
		return nil, fmt.Errorf("%s is not a directory of attempts", filepath.ToSlash(dir))
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	return &dirStore{dir: dir}, nil
}

func (d *dirStore) Kind() string   { return "dir" }
func (d *dirStore) String() string { return "dir:" + filepath.ToSlash(d.dir) }
func (d *dirStore) Close() error   { return nil }

// Dir is the directory of a dir store, "" for any other store.
func Dir(s Store) string {
	if d, ok := s.(*dirStore); ok {
		return d.dir
	}
	return ""
}

func (d *dirStore) Create(ctx context.Context, h simulator.AttemptHeader, origin Origin, source string) (Session, error) {
	// The file is named after the start time the header gives.
	start, err := time.Parse(time.RFC3339Nano, h.StartedAt)
	if err != nil {
		start = time.Now()
	}
	j, err := simulator.CreateJournal(d.dir, h, start)
	if err != nil {
		return nil, err
	}
	return &dirSession{j}, nil
}

func (d *dirStore) Open(ctx context.Context, ref string) (Session, *simulator.Attempt, error) {
	j, a, err := simulator.OpenJournal(ref)
	if err != nil {
		var busy *simulator.AttemptBusyError
		if errors.As(err, &busy) {
			return nil, nil, &BusyError{Ref: busy.Path, PID: busy.PID}
		}
		return nil, nil, err
	}
	return &dirSession{j}, a, nil
}

func (d *dirStore) Read(ctx context.Context, ref string) (*simulator.Attempt, error) {
	return simulator.ReadAttempt(ref)
}

type dirSession struct{ j *simulator.Journal }

func (s *dirSession) Ref() string  { return s.j.Path() }
func (s *dirSession) Moves() int   { return s.j.Moves() }
func (s *dirSession) Close() error { return s.j.Close() }
func (s *dirSession) Append(move string, at time.Time, turns []simulator.Turn, over bool) error {
	return s.j.Append(move, at, turns)
}
