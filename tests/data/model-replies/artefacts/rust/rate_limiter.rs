use std::collections::HashMap;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    capacity: u32,
    refill_every: Duration,
    buckets: HashMap<String, (u32, Instant)>,
}

impl RateLimiter {
    pub fn new(capacity: u32, refill_every: Duration) -> Self {
        Self { capacity, refill_every, buckets: HashMap::new() }
    }

    pub fn allow(&mut self, key: &str) -> bool {
        let now = Instant::now();
        let entry = self.buckets.entry(key.to_string()).or_insert((self.capacity, now));
        if now.duration_since(entry.1) >= self.refill_every {
            *entry = (self.capacity, now);
        }
        if entry.0 == 0 {
            return false;
        }
        entry.0 -= 1;
        true
    }

    pub fn reset(&mut self, key: &str) {
        todo!()
    }

    pub fn remaining(&self, key: &str) -> u32 {
        unimplemented!("remaining tokens are not tracked yet")
    }
}
