package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/store"
	"github.com/casebook/casebook/web"
	"github.com/spf13/cobra"
)

func newUsersCmd(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "The accounts of casebook serve: add, list, remove, reset a password",
		Long: `Users manages who may sign in to casebook serve, in its store:

  users add NAME --role trainee|trainer   a new account
  users list                              every account
  users remove NAME                       an account (its attempts stay)
  users passwd NAME                       a new password (signs its browsers out)
  users assign NAME SCENARIO --tier T     a scenario to practise, first on their page
  users unassign NAME SCENARIO --tier T   takes an assignment back

A trainee practises and sees their own attempts; a trainer sees everyone's.
A password is read from the terminal (twice), or off a terminal from the
first line of stdin; it needs at least 8 characters, and is stored as a
bcrypt hash.

` + storeCmdHelp + `

` + exitCodesHelp,
		Example: `  casebook users add ana --role trainee --store sqlite:team.db   # asks for the password on a terminal
  echo 'a long password' | casebook users add bo --role trainer --store sqlite:team.db
  casebook users list --store sqlite:team.db -o json`,
	}
	cmd.AddCommand(newUsersAddCmd(f), newUsersListCmd(f), newUsersRemoveCmd(f), newUsersPasswdCmd(f), newUsersAssignCmd(f, true), newUsersAssignCmd(f, false))
	return cmd
}

// readPassword reads a new password: twice on a terminal, else the first
// line of stdin.
func (f *factory) readPassword(name string) (string, error) {
	s := f.streams
	if s.canPrompt() {
		first, err := f.prompter.Password(fmt.Sprintf("Password for %s:", name))
		if err != nil {
			return "", err
		}
		again, err := f.prompter.Password("The same password again:")
		if err != nil {
			return "", err
		}
		if first != again {
			return "", usageErrorf("the two passwords differ; nothing was changed")
		}
		return first, nil
	}
	line, err := bufio.NewReader(io.LimitReader(s.In, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usageErrorf("no password: off a terminal, give it on the first line of stdin")
	}
	return line, nil
}

// accounts opens the store the users commands work on.
func (f *factory) accounts(flag string, create bool) (*chosenStore, store.Accounts, error) {
	c, _, err := f.databaseStore(flag, create)
	if err != nil {
		return nil, nil, err
	}
	acc, ok := c.Store.(store.Accounts)
	if !ok {
		c.Close()
		return nil, nil, usageErrorf("%s keeps no accounts", c)
	}
	return c, acc, nil
}

func checkUserName(name string) error {
	if strings.TrimSpace(name) != name || name == "" || len(name) > 64 || playbooks.EscapeControls(name) != name || strings.ContainsAny(name, "/\\") {
		return usageErrorf("%q is not a name for an account: 1 to 64 characters, no spaces at the ends, no control characters or slashes", name)
	}
	return nil
}

func newUsersAddCmd(f *factory) *cobra.Command {
	var flag, role string
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add an account",
		Long: `Add makes an account of casebook serve: a trainee (practises, sees their
own attempts) or a trainer (sees everyone's). The password is asked twice
on a terminal, else read from the first line of stdin.

` + storeCmdHelp + `

` + exitCodesHelp,
		Example: `  casebook users add ana --role trainee --store sqlite:team.db   # on a terminal
  printf 'correct horse battery\n' | casebook users add cy --role trainee --store sqlite:team.db`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if err := checkUserName(name); err != nil {
				return err
			}
			r, err := store.ParseRole(role)
			if err != nil {
				return usageErrorf("--role: %v", err)
			}
			c, acc, err := f.accounts(flag, true)
			if err != nil {
				return err
			}
			defer c.Close()
			if _, err := acc.User(context.Background(), name); err == nil {
				return usageErrorf("account %q exists already in %s (casebook users passwd %s gives it a new password)", name, c, name)
			}
			password, err := f.readPassword(name)
			if err != nil {
				return err
			}
			hash, err := web.HashPassword(password)
			if err != nil {
				return usageErrorf("%v; nothing was changed", err)
			}
			if err := acc.AddUser(context.Background(), name, r, hash); err != nil {
				return usageErrorf("%v", err)
			}
			fmt.Fprintf(f.streams.Out, "added %s, %s, to %s\n", name, r, c)
			return nil
		},
	}
	databaseStoreFlag(cmd, &flag)
	cmd.ValidArgsFunction = cobra.NoFileCompletions // a new name
	cmd.Flags().StringVar(&role, "role", "trainee", "`ROLE`: trainee or trainer")
	completeFlag(cmd, "role", completeValues("trainee", "trainer"))
	return cmd
}

func newUsersListCmd(f *factory) *cobra.Command {
	var flag, output string
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the accounts",
		Long:    "List shows every account of the store: its name, role and when it was made.\n\n" + storeCmdHelp + "\n\n" + exitCodesHelp,
		Example: `  casebook users list --store sqlite:team.db`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, acc, err := f.accounts(flag, false)
			if err != nil {
				return err
			}
			defer c.Close()
			users, err := acc.Users(context.Background())
			if err != nil {
				return usageErrorf("%s: %v", c, err)
			}
			type listed struct {
				Name    string     `json:"name"`
				Role    store.Role `json:"role"`
				Created string     `json:"created_at"`
			}
			list := []listed{}
			for _, u := range users {
				list = append(list, listed{u.Name, u.Role, u.CreatedAt})
			}
			if output == "json" {
				return writeJSON(f.streams.Out, list)
			}
			if len(list) == 0 {
				fmt.Fprintf(f.streams.Out, "No accounts in %s: casebook users add NAME --role trainee adds one.\n", c)
				return nil
			}
			t := newTablePrinter(f.streams.Out, f.streams.OutTTY)
			t.Header("name", "role", "created")
			for _, u := range list {
				t.Row(u.Name, string(u.Role), u.Created)
			}
			return t.Render()
		},
	}
	databaseStoreFlag(cmd, &flag)
	outputFlag(cmd, &output, "text", "json")
	return cmd
}

func newUsersRemoveCmd(f *factory) *cobra.Command {
	var flag string
	cmd := &cobra.Command{
		Use:     "remove NAME",
		Short:   "Remove an account (its attempts stay)",
		Long:    "Remove deletes an account and signs its browsers out; its attempts stay in the store.\n\n" + storeCmdHelp + "\n\n" + exitCodesHelp,
		Example: `  casebook users remove ana --store sqlite:team.db`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, acc, err := f.accounts(flag, false)
			if err != nil {
				return err
			}
			defer c.Close()
			if err := acc.RemoveUser(context.Background(), args[0]); err != nil {
				return usageErrorf("%v in %s", err, c)
			}
			fmt.Fprintf(f.streams.Out, "removed %s from %s\n", args[0], c)
			return nil
		},
	}
	databaseStoreFlag(cmd, &flag)
	cmd.ValidArgsFunction = f.completeUsers(&flag)
	return cmd
}

func newUsersPasswdCmd(f *factory) *cobra.Command {
	var flag string
	cmd := &cobra.Command{
		Use:     "passwd NAME",
		Short:   "Give an account a new password (its browsers are signed out)",
		Long:    "Passwd sets an account's password (asked twice on a terminal, else the first line of stdin) and signs out every browser signed in with the old one.\n\n" + storeCmdHelp + "\n\n" + exitCodesHelp,
		Example: `  casebook users passwd ana --store sqlite:team.db   # on a terminal`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, acc, err := f.accounts(flag, false)
			if err != nil {
				return err
			}
			defer c.Close()
			if _, err := acc.User(context.Background(), args[0]); err != nil {
				return usageErrorf("%v in %s", err, c)
			}
			password, err := f.readPassword(args[0])
			if err != nil {
				return err
			}
			hash, err := web.HashPassword(password)
			if err != nil {
				return usageErrorf("%v; nothing was changed", err)
			}
			if err := acc.SetPassword(context.Background(), args[0], hash); err != nil {
				return usageErrorf("%v", err)
			}
			fmt.Fprintf(f.streams.Out, "new password for %s in %s\n", args[0], c)
			return nil
		},
	}
	databaseStoreFlag(cmd, &flag)
	cmd.ValidArgsFunction = f.completeUsers(&flag)
	return cmd
}

// completeUsers completes the name of an account of the store.
func (f *factory) completeUsers(flag *string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, prefix string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		c, acc, err := f.accounts(*flag, false)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer c.Close()
		users, _ := acc.Users(context.Background())
		var out []cobra.Completion
		for _, u := range users {
			if strings.HasPrefix(u.Name, prefix) {
				out = append(out, cobra.CompletionWithDesc(u.Name, string(u.Role)))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

func newUsersAssignCmd(f *factory, assign bool) *cobra.Command {
	var flag, tier string
	verb, short := "assign", "Give an account a scenario to practise at a tier"
	if !assign {
		verb, short = "unassign", "Take back a scenario given to an account"
	}
	cmd := &cobra.Command{
		Use:   verb + " NAME SCENARIO",
		Short: short,
		Long: short + `: an assigned scenario comes first on the trainee's page in casebook
serve, with its tier, and shows whether they have closed it. The scenario
must be one of the library's, and the tier one of its playbook's (default:
the playbook's lowest).

` + storeCmdHelp + `

` + exitCodesHelp,
		Example: "  casebook users " + verb + " ana https-proxy-cname --tier L1 --store sqlite:team.db",
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			lib, err := f.library()
			if err != nil {
				return err
			}
			sc, p, err := trainScenario(f, lib, args[1])
			if err != nil {
				return err
			}
			if tier == "" {
				tier = string(p.Tiers[0].Name)
			}
			t, err := pickTier(p, tier)
			if err != nil {
				return err
			}
			c, acc, err := f.accounts(flag, false)
			if err != nil {
				return err
			}
			defer c.Close()
			ctx := context.Background()
			if assign {
				err = acc.Assign(ctx, args[0], sc.ID, string(t.Name))
			} else {
				err = acc.Unassign(ctx, args[0], sc.ID, string(t.Name))
			}
			if err != nil {
				return usageErrorf("%v in %s", err, c)
			}
			what := "assigned"
			if !assign {
				what = "took back"
			}
			fmt.Fprintf(f.streams.Out, "%s %s at tier %s for %s in %s\n", what, sc.ID, t.Name, args[0], c)
			return nil
		},
	}
	databaseStoreFlag(cmd, &flag)
	cmd.Flags().StringVar(&tier, "tier", "", "the `TIER` to practise it at (default: the playbook's lowest)")
	completeFlag(cmd, "tier", completeTiers(f, func(cmd *cobra.Command, args []string) string {
		if len(args) > 1 {
			return args[1]
		}
		return ""
	}))
	cmd.ValidArgsFunction = func(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
		if len(args) == 0 {
			names, dir := f.completeUsers(&flag)(cmd, args, prefix)
			return names, dir
		}
		return completeArgs(f, 2, completeScenarios)(cmd, args, prefix)
	}
	return cmd
}
