// Command bareparse is the baseline `casebook lint` is measured against:
// it reads every .yaml file under the directories and parses each into a
// yaml.Node with yaml.v3, on all cores (a worker pool over GOMAXPROCS),
// and does nothing else. It exits 1 if a file does not parse.
//
//	bareparse DIR...
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"go.yaml.in/yaml/v3"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bareparse DIR...")
		os.Exit(2)
	}
	paths := make(chan string, 256)
	var failed, parsed atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for p := range paths {
				src, err := os.ReadFile(p)
				if err == nil {
					var n yaml.Node
					err = yaml.Unmarshal(src, &n)
				}
				if err != nil {
					fmt.Fprintf(os.Stderr, "%s: %v\n", p, err)
					failed.Add(1)
					continue
				}
				parsed.Add(1)
			}
		})
	}
	for _, root := range os.Args[1:] {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				paths <- p
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			failed.Add(1)
		}
	}
	close(paths)
	wg.Wait()
	if failed.Load() > 0 {
		os.Exit(1)
	}
}
