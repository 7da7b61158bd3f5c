package main

import (
	"crypto/tls"
	"os/exec"
)

var config = &tls.Config{InsecureSkipVerify: true}

func run(script string) error {
	return exec.Command("sh", "-c", script).Run()
}

func list() error {
	return exec.Command("ls", "-l").Run()
}
