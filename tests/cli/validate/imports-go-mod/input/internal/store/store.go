package store

func New() {}
