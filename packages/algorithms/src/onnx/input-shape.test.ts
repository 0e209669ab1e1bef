import { describe, expect, it } from 'vitest';
import { fitShape } from './input-shape.js';

const flat = (shape: number[]) => ({ shape, values: [] });

describe('fitShape', () => {
  it('keeps a shape that matches, whatever the free dimensions', () => {
    expect(fitShape(flat([3, 2]), { name: 'x', shape: ['n', 2] })).toEqual([3, 2]);
    expect(fitShape(flat([3, 5]), { name: 'x', shape: [] })).toEqual([3, 5]);
  });

  it('adapts single instances, single columns and flat rows to the declared shape', () => {
    expect(fitShape(flat([2]), { name: 'x', shape: ['n', 2] })).toEqual([1, 2]);
    expect(fitShape(flat([4, 1]), { name: 'x', shape: ['n'] })).toEqual([4]);
    expect(fitShape(flat([3, 4]), { name: 'img', shape: ['n', 2, 2] })).toEqual([3, 2, 2]);
  });

  it('refuses a shape the input cannot take, naming both', () => {
    expect(() => fitShape(flat([3, 3]), { name: 'img', shape: ['n', 2, 2] })).toThrow(
      "Input 'img' takes shape [n, 2, 2]; the request gives shape [3, 3].",
    );
    expect(() => fitShape(flat([2, 2, 2, 2]), { name: 'x', shape: ['n', 2] })).toThrow(
      /takes shape \[n, 2\]/,
    );
  });
});
