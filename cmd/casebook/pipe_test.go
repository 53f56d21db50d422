package main

import (
	"bufio"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A program may drive train through pipes, reading what the customer says
// before it chooses a move: train must show the opening before it waits
// for the first move on stdin.
func TestTrainShowsTheOpeningBeforeReadingStdin(t *testing.T) {
	cmd := casebookProcess("train", "https-proxy-cname", "--seed", "1", "--attempts", t.TempDir())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	opening := make(chan string, 1)
	read := make(chan struct{})
	go func() {
		defer close(read)
		defer close(opening)
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() { // to the end, so train never blocks on a full pipe
			if !sent && strings.HasPrefix(sc.Text(), "Sam: ") {
				opening <- sc.Text()
				sent = true
			}
		}
	}()
	select {
	case line, ok := <-opening:
		if !ok {
			t.Fatal("train ended without showing the opening")
		}
		t.Logf("opening: %.60s", line)
	case <-time.After(20 * time.Second):
		t.Fatal("train showed no opening before its first move came: a driver reading it first would wait for ever")
	}
	for _, m := range goldenL1 {
		fmt.Fprintln(stdin, m)
	}
	stdin.Close()
	<-read
	if err := cmd.Wait(); err != nil {
		t.Errorf("train after the moves: %v", err)
	}
}
