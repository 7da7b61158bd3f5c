/**
 * ```ts
 * merge({ a: 1 }, { b: 2 });
 * ```
 */
export function merge<T extends object>(...parts: T[]): T {
  return Object.assign({}, ...parts);
}

export abstract class Shape {
  abstract area(): number;
}

export function parse(value: string): number;
export function parse(value: number): number;
export function parse(value: string | number): number {
  return Number(value);
}

export const noop = (): void => {};
