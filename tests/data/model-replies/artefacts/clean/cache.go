// Package cache keeps values in memory.
//
// Example:
//
//	c := cache.New()
//	c.Set("k", "v")
package cache

import "sync"

type Cache struct {
	mu   sync.Mutex
	data map[string]string
}

func New() *Cache {
	return &Cache{data: map[string]string{}}
}

func (c *Cache) Set(key, value string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.data[key] = value
}

func join(parts ...string) string {
	out := ""
	for _, p := range parts {
		out += p
	}
	return out
}

const usage = `
~~~
cache set KEY VALUE
~~~
`

func (c *Cache) Close() {}

func mustPositive(n int) int {
	if n < 0 {
		panic("mustPositive: negative value")
	}
	return n
}
