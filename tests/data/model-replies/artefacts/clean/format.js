/**
 * Formats a price.
 *
 * ```js
 * formatPrice(1234.5, "EUR"); // "€1,234.50"
 * ```
 */
export function formatPrice(amount, currency, ...rest) {
  const options = { style: "currency", currency, ...rest[0] };
  return new Intl.NumberFormat("en-GB", options).format(amount);
}

export function noop() {}

export const markdown = `
~~~js
const x = 1;
~~~
`;

// Loading... the first call takes a while.
export async function load(fetcher) {
  const [first, ...others] = await fetcher();
  return { first, others };
}

export class Plugin {
  setup() {
    throw new Error("Plugin.setup must be overridden by a subclass");
  }
}

export function assertNever(value) {
  throw new Error(`unexpected value: ${value}`);
}
