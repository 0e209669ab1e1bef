/** A column's mean and standard deviation, to turn its values into z-scores. */
export interface ColumnScale {
  readonly mean: number;
  readonly sd: number;
}

/**
 * The mean and (population) standard deviation of each column over its first `rows` values; a
 * constant column gets sd 1, so that its z-scores are 0 rather than NaN.
 */
export function columnScales(columns: readonly ArrayLike<number>[], rows: number): ColumnScale[] {
  return columns.map((column) => {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < rows; i++) {
      const v = column[i]!;
      sum += v;
      squares += v * v;
    }
    const mean = sum / rows;
    const sd = Math.sqrt(Math.max(squares / rows - mean * mean, 0));
    return { mean, sd: sd > 1e-12 ? sd : 1 };
  });
}

/** Row `i` of `columns` as CSV cells: z-scores with four decimals. */
export function zScoreLine(
  columns: readonly ArrayLike<number>[],
  scales: readonly ColumnScale[],
  i: number,
): string {
  let line = '';
  for (let j = 0; j < columns.length; j++) {
    const { mean, sd } = scales[j]!;
    line += `${j === 0 ? '' : ','}${((columns[j]![i]! - mean) / sd).toFixed(4)}`;
  }
  return line;
}
