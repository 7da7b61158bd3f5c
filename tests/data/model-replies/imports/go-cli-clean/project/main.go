package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"example.com/wordcount/internal/count"
	"github.com/spf13/cobra"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

func main() {
	root := &cobra.Command{Use: "wordcount", RunE: func(cmd *cobra.Command, args []string) error {
		scanner := bufio.NewScanner(os.Stdin)
		title := cases.Title(language.English)
		for scanner.Scan() {
			fmt.Println(title.String(strings.TrimSpace(scanner.Text())), count.Words(scanner.Text()))
		}
		return scanner.Err()
	}}
	_ = root.Execute()
}
