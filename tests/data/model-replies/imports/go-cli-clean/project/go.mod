module example.com/wordcount

go 1.21

require (
	github.com/spf13/cobra v1.8.0
	golang.org/x/text v0.15.0
)
