import { StringDecoder } from 'node:string_decoder';

/**
 * A line held back longer than this is emitted anyway, so a program that prints progress bars
 * with `\r` (or binary) cannot make the server buffer without bound.
 */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * Turns a byte stream's chunks into complete lines. Lines may span chunks, and a UTF-8
 * character may be split between two chunks, so bytes are decoded with a StringDecoder.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly emit: (line: string) => void) {}

  /** Adds a chunk; emits every line it completes (without `\n` or a trailing `\r`). */
  push(chunk: Buffer): void {
    this.pending += this.decoder.write(chunk);
    let newline = this.pending.indexOf('\n');
    while (newline !== -1) {
      this.emitLine(this.pending.slice(0, newline));
      this.pending = this.pending.slice(newline + 1);
      newline = this.pending.indexOf('\n');
    }
    if (this.pending.length > MAX_LINE_CHARS) {
      this.emitLine(this.pending);
      this.pending = '';
    }
  }

  /** Emits what is left: the last line when the output did not end with a newline. */
  end(): void {
    this.pending += this.decoder.end();
    if (this.pending.length > 0) this.emitLine(this.pending);
    this.pending = '';
  }

  private emitLine(line: string): void {
    this.emit(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}
