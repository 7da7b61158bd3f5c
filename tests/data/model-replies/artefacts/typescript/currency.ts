export const formatCents = (cents: number, currency = "EUR"): string =>
  new Intl.NumberFormat("en-IE", { style: "currency", currency }).format(cents / 100);

**Usage:**

formatCents(1999);
