Here's a small CLI that counts the lines of each file given on the command line:

```rust
use std::env;
use std::fs;

fn count_lines(path: &str) -> std::io::Result<usize> {
    let text = fs::read_to_string(path)?;
    Ok(text.lines().count())
}

fn main() {
    for path in env::args().skip(1) {
        match count_lines(&path) {
            Ok(n) => println!("{n:>8} {path}"),
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
}
```

Run it with `cargo run -- src/*.rs` to see the counts.
