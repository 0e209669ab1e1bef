import { describe, expect, it } from 'vitest';
import { JsonPathError, isRootPath, parseJsonPath, selectJsonPath } from './json-path.js';

const select = (path: string, value: unknown) => selectJsonPath(parseJsonPath(path), value);

describe('JSONPath subset', () => {
  const row = ['id-7', '1.5', '2.5', '3.5', '4.5', '5.5', '6.5'];
  const record = { id: 7, features: [1, 2, 3], meta: { source: 'a', day: 3 } };

  it('treats $ and the empty path as the whole value', () => {
    expect(isRootPath(parseJsonPath('$'))).toBe(true);
    expect(isRootPath(parseJsonPath(''))).toBe(true);
    expect(select('$', record)).toBe(record);
  });

  it('selects CSV columns by index, negative index, list and slice as the docs show', () => {
    expect(select('$[0]', row)).toBe('id-7');
    expect(select('$[-1]', row)).toBe('6.5');
    expect(select('$[1,3,5]', row)).toEqual(['1.5', '3.5', '5.5']);
    expect(select('$[1:]', row)).toEqual(row.slice(1));
    expect(select('$[0,-1]', row)).toEqual(['id-7', '6.5']);
    expect(select('$[0,5:]', row)).toEqual(['id-7', '5.5', '6.5']);
  });

  it('includes both ends of a slice, as SageMaker documents ($[1:4] is the 2nd to 5th columns)', () => {
    expect(select('$[1:4]', row)).toEqual(['1.5', '2.5', '3.5', '4.5']);
    expect(select('$[:5]', row)).toEqual(row.slice(0, 6));
    expect(select('$[2:5]', row)).toEqual(['2.5', '3.5', '4.5', '5.5']);
  });

  it('selects JSON fields with dots, brackets and several names', () => {
    expect(select('$.features', record)).toEqual([1, 2, 3]);
    expect(select("$['features']", record)).toEqual([1, 2, 3]);
    expect(select('$["id"]', record)).toBe(7);
    expect(select("$['id','features']", record)).toEqual({ id: 7, features: [1, 2, 3] });
    expect(select('$.meta.source', record)).toBe('a');
    expect(select("$.meta.['source','day']", record)).toEqual({ source: 'a', day: 3 });
    expect(select('$.features[1:]', record)).toEqual([2, 3]);
    expect(select('$.meta.*', record)).toEqual(['a', 3]);
    expect(select('$.features[*]', record)).toEqual([1, 2, 3]);
  });

  it('maps later steps over what a wildcard picked', () => {
    expect(select('$.rows[*].x', { rows: [{ x: 1 }, { x: 2 }] })).toEqual([1, 2]);
  });

  it('refuses paths outside the subset, saying where', () => {
    for (const bad of ['features', '$..id', '$[?(@.x)]', '$.', '$[', "$['a',1]", '$[1,]', '$ x']) {
      expect(() => parseJsonPath(bad), bad).toThrow(JsonPathError);
    }
    expect(() => parseJsonPath('$.a)')).toThrow(/unexpected '\)' at 4/);
  });

  it('fails clearly when the record does not have what the path names', () => {
    expect(() => select('$[9]', row)).toThrow(/index 9 is outside the record's 7 elements/);
    expect(() => select('$.missing', record)).toThrow(/has no field 'missing'/);
    expect(() => select('$[0]', record)).toThrow(/indexes need an array, got an object/);
    expect(() => select('$.id.x', record)).toThrow(/needs an object, got the number 7/);
  });
});
