package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
)

// outputFlag adds -o/--output with the allowed formats.
func outputFlag(cmd *cobra.Command, target *string, formats ...string) {
	*target = formats[0]
	cmd.Flags().StringVarP(target, "output", "o", formats[0], "output format: "+strings.Join(formats, ", "))
	completeFlag(cmd, "output", completeValues(formats...))
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
