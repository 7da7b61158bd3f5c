// Renders the low-stock list the inventory service returns.
export function renderLowStock(items) {
  const rows = items.map((item) => `${item.sku}\t${item.name}\t${item.quantity}`);
  return rows.length === 0 ? "all items in stock" : rows.join("\n");
}
