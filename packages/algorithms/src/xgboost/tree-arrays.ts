/**
 * A finished tree as threads apply it (node 0 is the root). A leaf has `left[n] = -1` and its
 * value (already scaled by eta) in `value[n]`; a split's float condition is `value[n]`
 * (`x < value` goes left, NaN follows `defaultLeft`), and on bin codes a row goes left when
 * its code is at most `last[n]` or equals `missingLeft[n]` (-1 when missing values go right).
 */
export interface TreeArrays {
  count: number;
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  last: Int32Array;
  missingLeft: Int32Array;
  defaultLeft: Uint8Array;
  value: Float32Array;
}

/** Empty arrays for a tree of `count` nodes. */
export function createTreeArrays(count: number): TreeArrays {
  return {
    count,
    left: new Int32Array(count),
    right: new Int32Array(count),
    feature: new Int32Array(count),
    last: new Int32Array(count),
    missingLeft: new Int32Array(count),
    defaultLeft: new Uint8Array(count),
    value: new Float32Array(count),
  };
}
