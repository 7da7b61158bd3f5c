package count

import "strings"

func Words(line string) int { return len(strings.Fields(line)) }
