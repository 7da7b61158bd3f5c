export class Cart {
  constructor(pricing) {
    this.pricing = pricing;
    this.items = [];
  }

  add(product, quantity = 1) {
    const existing = this.items.find((item) => item.product.id === product.id);
    if (existing) {
      existing.quantity += quantity;
    } else {
      this.items.push({ product, quantity });
    }
    return this;
  }

  remove(productId) {
    // TODO: implement removal
  }

  total() {
    return this.items.reduce(
      (sum, item) => sum + this.pricing.price(item.product) * item.quantity,
      0,
    );
  }

  applyCoupon(code) {
    throw new Error("Not implemented");
  }

  toJSON() {
    return {
      items: this.items.map(({ product, quantity }) => ({ id: product.id, quantity })),
      ...
    };
  }
}
