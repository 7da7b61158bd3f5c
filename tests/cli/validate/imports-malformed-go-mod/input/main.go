package main

import "github.com/spf13/cobra"

var _ = cobra.Command{}
