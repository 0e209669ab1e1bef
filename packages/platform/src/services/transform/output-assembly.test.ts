import { describe, expect, it } from 'vitest';
import { assemblePieces } from './output-assembly.js';

const b = (text: string) => Buffer.from(text);

describe('output assembly', () => {
  it('concatenates answers untouched with AssembleWith None', () => {
    expect(assemblePieces([b('{"a":1}'), b('{"b":2}')], 'None').toString()).toBe('{"a":1}{"b":2}');
  });

  it('ends every piece with exactly one line break with AssembleWith Line', () => {
    expect(assemblePieces([b('1,2'), b('3\n4\n'), b('5')], 'Line').toString()).toBe(
      '1,2\n3\n4\n5\n',
    );
  });
});
