package main

import (
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/spf13/cobra"
)

// refuseUnknownCommands makes every command group in the tree under root
// (a command with sub-commands and nothing to run itself) print its help
// when called alone and refuse an unknown sub-command with a usage error
// (exit 2) naming the valid ones. Cobra on its own prints the help and
// exits 0 for `casebook new foo`. newRootCmd calls it once on the whole
// tree, so a group added later is covered without doing anything.
func refuseUnknownCommands(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() == "help" {
			c.Run, c.RunE = nil, runHelp
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasSubCommands() && !c.Runnable() {
			c.Args = cobra.ArbitraryArgs
			c.RunE = runGroup
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// runGroup is the RunE of a command group.
func runGroup(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return c.Help()
	}
	return unknownCommand(c, args[0])
}

// unknownCommand is the one-line error for a name that is none of c's
// sub-commands.
func unknownCommand(c *cobra.Command, name string) error {
	var names []string
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			names = append(names, sub.Name())
		}
	}
	return usageErrorf("unknown command %q for %q%s (commands: %s)", name, c.CommandPath(), playbooks.DidYouMean(name, names), strings.Join(names, ", "))
}

// runHelp is `casebook help [COMMAND...]`, refusing an unknown topic as
// the group itself would refuse it.
func runHelp(c *cobra.Command, args []string) error {
	target, rest, err := c.Root().Find(args)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if len(rest) > 0 && target.HasSubCommands() {
		return unknownCommand(target, rest[0])
	}
	target.InitDefaultHelpFlag()
	target.InitDefaultVersionFlag()
	return target.Help()
}
