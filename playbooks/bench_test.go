package playbooks_test

import (
	"runtime"
	"sync"
	"testing"

	"github.com/casebook/casebook/internal/gen"
	"github.com/casebook/casebook/playbooks"
	"go.yaml.in/yaml/v3"
)

// generated writes a generated library of n playbooks (and n/10 scenarios)
// into a temporary directory and reads its files, outside the timer.
func generated(b *testing.B, n int) []playbooks.File {
	b.Helper()
	dir := b.TempDir()
	if err := gen.Library(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	files, fs, err := playbooks.ReadPaths([]string{dir}, playbooks.DefaultMaxFileSize)
	if err != nil || len(fs) > 0 {
		b.Fatal(err, fs)
	}
	var size int64
	for _, f := range files {
		size += int64(len(f.Src))
	}
	b.SetBytes(size)
	b.ResetTimer()
	return files
}

// BenchmarkLoad parses, decodes and validates a generated library of
// 1,000 playbooks read beforehand (playbooks.Load, parallel over
// GOMAXPROCS). Compare with BenchmarkBareParse on the same files.
func BenchmarkLoad(b *testing.B) {
	b.Run("1k", func(b *testing.B) {
		files := generated(b, 1000)
		b.ReportAllocs()
		for b.Loop() {
			if lib := playbooks.Load(files); len(lib.Findings) > 0 {
				b.Fatal(lib.Findings[0])
			}
		}
	})
}

// BenchmarkBareParse is the floor for BenchmarkLoad: the same files parsed
// into yaml.Node by a worker pool over GOMAXPROCS, and nothing else.
func BenchmarkBareParse(b *testing.B) {
	b.Run("1k", func(b *testing.B) {
		files := generated(b, 1000)
		b.ReportAllocs()
		for b.Loop() {
			bareParse(b, files)
		}
	})
}

func bareParse(b *testing.B, files []playbooks.File) {
	work := make(chan []byte)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for src := range work {
				var n yaml.Node
				if err := yaml.Unmarshal(src, &n); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for _, f := range files {
		work <- f.Src
	}
	close(work)
	wg.Wait()
}
