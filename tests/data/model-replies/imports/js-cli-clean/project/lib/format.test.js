import { describe, expect, it } from 'vitest';
import { format } from './format.js';

describe('format', () => {
  it('prefixes a dash', () => expect(format({ title: 'x' })).toBe('- x'));
});
