module example.com/tool

require (
	github.com/spf13/cobra v1.8.0
	github.com/spf13/viper
)
