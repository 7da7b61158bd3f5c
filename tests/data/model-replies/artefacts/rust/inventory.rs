pub struct Inventory {
    items: Vec<(String, u32)>,
}

impl Inventory {
    pub fn new() -> Self {
        Inventory { items: Vec::new() }
    }

    pub fn restock(&mut self, sku: &str, count: u32) {
        panic!("not implemented")
    }

    pub fn reserve(&mut self, sku: &str, count: u32) -> bool {
        panic!("TODO");
    }

    pub fn count(&self, sku: &str) -> u32 {
        self.items.iter().filter(|(s, _)| s == sku).map(|(_, n)| n).sum()
    }
}
