package main

import (
	"encoding/yaml"
	"log"
	"net/http/middleware"
	"os"
)

type Config struct {
	Listen string `yaml:"listen"`
}

func load(path string) Config {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var config Config
	if err := yaml.Unmarshal(data, &config); err != nil {
		log.Fatal(err)
	}
	_ = middleware.Logger
	return config
}
