// Command casebook is a command-line tool for customer-support teams:
// playbooks for live cases, training on recorded cases, and a freshness gate
// for product releases.
package main

import "os"

func main() { os.Exit(Main()) }
