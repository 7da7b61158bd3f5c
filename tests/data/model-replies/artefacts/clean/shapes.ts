export interface Shape {
  area(): number;
  describe?(): string;
}

export abstract class Base implements Shape {
  abstract area(): number;

  toString(): string {
    return `${this.constructor.name}(${this.area()})`;
  }
}

export function scale(factor: number): (s: Shape) => number;
export function scale(factor: number, s: Shape): number;
export function scale(factor: number, s?: Shape): number | ((s: Shape) => number) {
  if (s === undefined) {
    return (shape: Shape) => shape.area() * factor;
  }
  return s.area() * factor;
}

declare function external(x: number): void;

export class Square extends Base {
  constructor(private readonly side: number) {
    super();
  }

  area(): number {
    return this.side * this.side;
  }
}

export const handlers: Record<string, () => void> = {
  idle: () => {},
};
