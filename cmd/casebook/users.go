package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/casebook/casebook/playbooks"
	"github.com/casebook/casebook/scoring"
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
  users tier NAME [TIER]                  puts an account in a tier (or none)
  users assign NAME SCENARIO --tier T     a scenario to practise, with a pass mark
  users assign --whole-tier SCENARIO --tier T   the same for every account of T
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
	cmd.AddCommand(newUsersAddCmd(f), newUsersListCmd(f), newUsersRemoveCmd(f), newUsersPasswdCmd(f), newUsersTierCmd(f), newUsersAssignCmd(f, true), newUsersAssignCmd(f, false))
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
	var flag, role, tier string
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add an account",
		Long: `Add makes an account of casebook serve: a trainee (practises, sees their
own attempts) or a trainer (sees everyone's). The password is asked twice
on a terminal, else read from the first line of stdin. --tier puts the
account in a tier: a scenario assigned to the whole tier (users assign
--whole-tier) is then assigned to it.

` + storeCmdHelp + `

` + exitCodesHelp,
		Example: `  casebook users add ana --role trainee --store sqlite:team.db   # on a terminal
  printf 'correct horse battery\n' | casebook users add cy --role trainee --tier L1 --store sqlite:team.db`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if err := checkUserName(name); err != nil {
				return err
			}
			if err := checkTierName(tier); err != nil {
				return err
			}
			if err := f.knownTier(tier); err != nil {
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
			if tier != "" {
				if err := acc.SetTier(context.Background(), name, tier); err != nil {
					return usageErrorf("%v", err)
				}
			}
			fmt.Fprintf(f.streams.Out, "added %s, %s%s, to %s\n", name, r, atTier(tier), c)
			return nil
		},
	}
	databaseStoreFlag(cmd, &flag)
	cmd.ValidArgsFunction = cobra.NoFileCompletions // a new name
	cmd.Flags().StringVar(&role, "role", "trainee", "`ROLE`: trainee or trainer")
	completeFlag(cmd, "role", completeValues("trainee", "trainer"))
	cmd.Flags().StringVar(&tier, "tier", "", "the `TIER` the account works at (none by default)")
	completeFlag(cmd, "tier", completeValues("L1", "L2", "L3"))
	return cmd
}

// checkTierName refuses a tier name an account cannot have ("" is none).
func checkTierName(tier string) error {
	if tier != "" && (strings.TrimSpace(tier) != tier || len(tier) > 64 || playbooks.EscapeControls(tier) != tier || strings.ContainsAny(tier, " /\\")) {
		return usageErrorf("%q is not a tier name: up to 64 characters, no spaces, control characters or slashes", tier)
	}
	return nil
}

// knownTier refuses a tier no playbook of the library has: an account of
// it would never get the whole tier's assignments ("" is none).
func (f *factory) knownTier(tier string) error {
	if tier == "" {
		return nil
	}
	lib, err := f.library()
	if err != nil {
		return err
	}
	var names []string
	for _, id := range lib.IDs() {
		for _, t := range lib.Find(id).Tiers {
			if string(t.Name) == tier {
				return nil
			}
			if !slices.Contains(names, string(t.Name)) {
				names = append(names, string(t.Name))
			}
		}
	}
	slices.Sort(names)
	return usageErrorf("no playbook of library %s has a tier %q; its tiers: %s", lib.Source, tier, strings.Join(names, ", "))
}

// atTier is ", tier T" for an account of a tier.
func atTier(tier string) string {
	if tier == "" {
		return ""
	}
	return ", tier " + tier
}

func newUsersTierCmd(f *factory) *cobra.Command {
	var flag string
	cmd := &cobra.Command{
		Use:   "tier NAME [TIER]",
		Short: "Put an account in a tier (none without TIER)",
		Long: `Tier puts an account in a tier: the scenarios assigned to the whole tier
(users assign --whole-tier) are then its assignments too. Without TIER the
account belongs to no tier.

` + storeCmdHelp + `

` + exitCodesHelp,
		Example: `  casebook users tier ana L2 --store sqlite:team.db   # ana moved up to tier 2`,
		Args:    cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			tier := ""
			if len(args) == 2 {
				tier = args[1]
			}
			if err := checkTierName(tier); err != nil {
				return err
			}
			if err := f.knownTier(tier); err != nil {
				return err
			}
			c, acc, err := f.accounts(flag, false)
			if err != nil {
				return err
			}
			defer c.Close()
			if err := acc.SetTier(context.Background(), args[0], tier); err != nil {
				return usageErrorf("%v in %s", err, c)
			}
			if tier == "" {
				fmt.Fprintf(f.streams.Out, "%s belongs to no tier in %s\n", args[0], c)
				return nil
			}
			fmt.Fprintf(f.streams.Out, "%s works at tier %s in %s\n", args[0], tier, c)
			return nil
		},
	}
	databaseStoreFlag(cmd, &flag)
	cmd.ValidArgsFunction = f.completeUsers(&flag)
	return cmd
}

func newUsersListCmd(f *factory) *cobra.Command {
	var flag, output string
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the accounts",
		Long:    "List shows every account of the store: its name, role, tier and when it was made.\n\n" + storeCmdHelp + "\n\n" + exitCodesHelp,
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
				Tier    string     `json:"tier"`
				Created string     `json:"created_at"`
			}
			list := []listed{}
			for _, u := range users {
				list = append(list, listed{u.Name, u.Role, u.Tier, u.CreatedAt})
			}
			if output == "json" {
				return writeJSON(f.streams.Out, list)
			}
			if len(list) == 0 {
				fmt.Fprintf(f.streams.Out, "No accounts in %s: casebook users add NAME --role trainee adds one.\n", c)
				return nil
			}
			t := newTablePrinter(f.streams.Out, f.streams.OutTTY)
			t.Header("name", "role", "tier", "created")
			for _, u := range list {
				t.Row(u.Name, string(u.Role), cmp.Or(u.Tier, "-"), u.Created)
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
	var passMark, k int
	var wholeTier bool
	verb, short := "assign", "Give an account (or a whole tier) a scenario to practise"
	if !assign {
		verb, short = "unassign", "Take back a scenario given to an account (or a whole tier)"
	}
	long := short + `.

An assigned scenario comes first on the trainee's page in casebook serve,
with its tier, and shows whether they have closed it. The scenario must be
one of the library's, and the tier one of its playbook's (default: the
playbook's lowest). With --whole-tier there is no NAME: the scenario goes
to every trainee account of the tier (users add --tier, users tier).`
	if assign {
		long += `

The trainee is ready for it once k attempts in a row (--k, default 3) were
resolved and scored at least the pass mark (--pass-mark, 1 to 100,
default 80); the dashboard and casebook report measure a trainee with
assignments on those alone, and show who is ready and what each should
practise next. Assigning again sets the pass mark and k anew (to the
defaults when the flags are left out).`
	}
	example := "  casebook users unassign ana https-proxy-cname --tier L1 --store sqlite:team.db"
	if assign {
		example = "  casebook users assign ana https-proxy-cname --tier L1 --pass-mark 85 --k 2 --store sqlite:team.db\n" +
			"  casebook users assign --whole-tier https-proxy-cname --tier L1 --store sqlite:team.db"
	}
	cmd := &cobra.Command{
		Use:     verb + " NAME SCENARIO",
		Short:   short,
		Long:    long + "\n\n" + storeCmdHelp + "\n\n" + exitCodesHelp,
		Example: example,
		Args: func(cmd *cobra.Command, args []string) error {
			if wholeTier {
				if len(args) != 1 {
					return usageErrorf("with --whole-tier, give only the SCENARIO (it goes to every account of --tier)")
				}
				return nil
			}
			return cobra.ExactArgs(2)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if assign && (passMark < 1 || passMark > 100) {
				return usageErrorf("--pass-mark must be from 1 to 100")
			}
			if assign && k < 1 {
				return usageErrorf("--k must be at least 1")
			}
			scenario, name := args[len(args)-1], ""
			if !wholeTier {
				name = args[0]
			}
			lib, err := f.library()
			if err != nil {
				return err
			}
			sc, p, err := trainScenario(f, lib, scenario)
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
			a := store.Assignment{Scenario: sc.ID, Tier: string(t.Name), PassMark: passMark, K: k}
			switch {
			case assign && wholeTier:
				err = acc.AssignTier(ctx, a)
			case assign:
				err = acc.Assign(ctx, name, a)
			case wholeTier:
				err = acc.UnassignTier(ctx, sc.ID, string(t.Name))
			default:
				err = acc.Unassign(ctx, name, sc.ID, string(t.Name))
			}
			if err != nil && !assign && !wholeTier {
				if as, e := acc.Assignments(ctx, name); e == nil {
					for _, a := range as {
						if a.WholeTier && a.Scenario == sc.ID && a.Tier == string(t.Name) {
							return usageErrorf("%v in %s: it is tier %s's (casebook users unassign --whole-tier %s --tier %s takes it back from the whole tier)", err, c, t.Name, sc.ID, t.Name)
						}
					}
				}
			}
			if err != nil {
				return usageErrorf("%v in %s", err, c)
			}
			who := "for " + name
			if wholeTier {
				who = "for every account of tier " + string(t.Name)
			}
			if assign {
				fmt.Fprintf(f.streams.Out, "assigned %s at tier %s %s in %s (ready after %d in a row at %d or more)\n", sc.ID, t.Name, who, c, k, passMark)
			} else {
				fmt.Fprintf(f.streams.Out, "took back %s at tier %s %s in %s\n", sc.ID, t.Name, who, c)
			}
			return nil
		},
	}
	databaseStoreFlag(cmd, &flag)
	cmd.Flags().StringVar(&tier, "tier", "", "the `TIER` to practise it at (default: the playbook's lowest)")
	cmd.Flags().BoolVar(&wholeTier, "whole-tier", false, "for every account of --tier, not one account")
	if assign {
		cmd.Flags().IntVar(&passMark, "pass-mark", scoring.DefaultPassMark, "the score a resolved attempt needs to pass")
		cmd.Flags().IntVar(&k, "k", 3, "passes in a row that make the trainee ready")
	}
	completeFlag(cmd, "tier", completeTiers(f, func(cmd *cobra.Command, args []string) string {
		if len(args) > 0 {
			return args[len(args)-1]
		}
		return ""
	}))
	cmd.ValidArgsFunction = func(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
		if wholeTier {
			return completeArgs(f, 1, completeScenarios)(cmd, args, prefix)
		}
		if len(args) == 0 {
			names, dir := f.completeUsers(&flag)(cmd, args, prefix)
			return names, dir
		}
		return completeArgs(f, 2, completeScenarios)(cmd, args, prefix)
	}
	return cmd
}
