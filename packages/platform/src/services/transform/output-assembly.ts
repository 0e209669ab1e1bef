/** TransformOutput.AssembleWith: answers concatenated as they are, or each ended by a line break. */
export type AssembleWith = 'None' | 'Line';

const NEWLINE = Buffer.from('\n');

/**
 * The bytes one request adds to its output object, in record order. With Line, each piece (a
 * whole answer, or one record's shaped output) ends with exactly one `\n`: an answer that
 * already ends with one (a CSV or JSON Lines answer) gets no second, so a Line-split input's
 * output has a line per record when the model answers a line per record.
 */
export function assemblePieces(pieces: readonly Buffer[], assembleWith: AssembleWith): Buffer {
  if (assembleWith === 'None') return Buffer.concat(pieces);
  return Buffer.concat(
    pieces.flatMap((piece) => (piece.at(-1) === 10 ? [piece] : [piece, NEWLINE])),
  );
}
