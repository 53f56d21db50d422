package main

import (
	"errors"
	"fmt"
)

// Exit codes, the same for every command.
const (
	exitOK          = 0
	exitFindings    = 1
	exitCannotRun   = 2
	exitBug         = 3
	exitInterrupted = 130
)

const exitCodesHelp = `Exit codes:
  0  ok
  1  findings (problems in the files)
  2  usage error or the command cannot run
  3  internal error (a bug: please report it)
  130  interrupted`

// exitError carries an exit code. A silent one has already been reported.
type exitError struct {
	code   int
	err    error
	silent bool
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErrorf is an error of how the command was called (exit 2).
func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitCannotRun, err: fmt.Errorf(format, args...)}
}

// errFindings says findings were printed (exit 1).
var errFindings = &exitError{code: exitFindings, silent: true}

// errInterrupted says the user pressed Ctrl-C (exit 130).
var errInterrupted = &exitError{code: exitInterrupted, err: errors.New("interrupted")}

// exitCode maps an error to the process exit code. Errors of our own carry
// their code; anything else means the command could not run.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return exitCannotRun
}
