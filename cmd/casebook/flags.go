package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// outputFlag adds -o/--output, the one flag by which every command that
// prints data chooses its format: text (the default, what a person reads)
// first, then json and the command's own (github, junit, mermaid, ...).
// The value is checked as the flag is parsed, so a command never sees one
// it did not offer. TestEveryOutputFlagIsShared fails for a command that
// prints data without it.
func outputFlag(cmd *cobra.Command, target *string, formats ...string) *outputValue {
	o := &outputValue{target: target, formats: formats, aliases: map[string]string{}}
	if slices.Contains(formats, "text") {
		o.aliases["table"] = "text" // the old name, on every command alike
	}
	*target = formats[0]
	cmd.Flags().VarPF(&outputSetter{o, "output"}, "output", "o", "output format: "+strings.Join(formats, ", "))
	completeFlag(cmd, "output", completeValues(formats...))
	o.cmd = cmd
	return o
}

// outputValue is the format a command prints in, shared by -o and the old
// flag names it still accepts.
type outputValue struct {
	cmd     *cobra.Command
	target  *string
	formats []string
	aliases map[string]string // old value -> format
	setBy   string            // the flag that set it, if one did
}

// alias keeps an old value working as another name of format (table for
// text, tree for show's text).
func (o *outputValue) alias(old, format string) *outputValue {
	o.aliases[old] = format
	return o
}

// oldFlag keeps an old flag name (--format, -f) working as a hidden,
// deprecated alias of -o that says so on stderr. Giving both with
// different values is an error.
func (o *outputValue) oldFlag(name, short string) *outputValue {
	fl := o.cmd.Flags()
	fl.VarP(&outputSetter{o, name}, name, short, "")
	_ = fl.MarkHidden(name)
	completeFlag(o.cmd, name, completeValues(o.formats...))
	return o
}

// outputSetter is the pflag.Value of one flag name of an outputValue.
type outputSetter struct {
	o    *outputValue
	flag string
}

func (s *outputSetter) String() string {
	if s.o == nil || s.o.target == nil {
		return ""
	}
	return *s.o.target
}

func (s *outputSetter) Type() string { return "string" }

func (s *outputSetter) Set(v string) error {
	o := s.o
	format := v
	if a, ok := o.aliases[v]; ok {
		format = a
		fmt.Fprintf(o.cmd.ErrOrStderr(), "casebook: -o %s is the old name of -o %s\n", v, a)
	}
	if !slices.Contains(o.formats, format) {
		return usageErrorf("--%s %q is not one of %s", s.flag, v, strings.Join(o.formats, ", "))
	}
	if o.setBy != "" && o.setBy != s.flag && *o.target != format {
		return usageErrorf("--%s %s and --%s %s disagree; give -o/--output alone", o.setBy, *o.target, s.flag, v)
	}
	if o.setBy == "" || s.flag == "output" {
		o.setBy = s.flag
	}
	*o.target = format
	if s.flag != "output" {
		// pflag's MarkDeprecated would print its notice on stdout, into
		// the data: say it on stderr.
		fmt.Fprintf(o.cmd.ErrOrStderr(), "casebook: --%s is deprecated; use -o/--output\n", s.flag)
	}
	return nil
}

// isOutputFlag says a flag is one outputFlag made (tests walk the tree).
func isOutputFlag(f *pflag.Flag) bool {
	_, ok := f.Value.(*outputSetter)
	return ok
}

func checkFormat(flag, value string, formats ...string) error {
	for _, f := range formats {
		if value == f {
			return nil
		}
	}
	return usageErrorf("--%s %q is not one of %s", flag, value, strings.Join(formats, ", "))
}

// sizeFlag reads a byte size such as 4MB, 512KB or 1048576.
type sizeFlag struct{ n *int64 }

func (s *sizeFlag) String() string {
	if s.n == nil {
		return ""
	}
	switch n := *s.n; {
	case n%(1<<20) == 0:
		return fmt.Sprintf("%dMB", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%dKB", n>>10)
	default:
		return strconv.FormatInt(n, 10)
	}
}

func (s *sizeFlag) Set(v string) error {
	units := []struct {
		suffix string
		mult   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}}
	upper := strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range units {
		if num, ok := strings.CutSuffix(upper, u.suffix); ok {
			upper, mult = strings.TrimSpace(num), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(upper, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return fmt.Errorf("%q is not a size like 4MB, 512KB or 1048576", v)
	}
	*s.n = n * mult
	return nil
}

func (s *sizeFlag) Type() string { return "size" }
