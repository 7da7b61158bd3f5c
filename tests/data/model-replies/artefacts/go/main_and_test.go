**main.go**

```go
package main

import "fmt"

func Greeting(name string) string {
	return fmt.Sprintf("Hello, %s!", name)
}

func main() {
	fmt.Println(Greeting("world"))
}
```

**main_test.go**

```go
package main

import "testing"

func TestGreeting(t *testing.T) {
	if got := Greeting("Ada"); got != "Hello, Ada!" {
		t.Fatalf("Greeting() = %q", got)
	}
}
```
