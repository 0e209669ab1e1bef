const CLEAR_LINE = '\r\x1b[2K';

/**
 * A status line kept at the bottom of a terminal and redrawn in place, with permanent lines
 * printed above it. On anything but a terminal (a pipe, a file, CI) the status line is never
 * drawn and only the permanent lines are written, so logs stay plain text.
 */
export class LiveLine {
  #current = '';

  constructor(private readonly stream: NodeJS.WriteStream) {}

  /** True on a terminal, where the status line is drawn. */
  get interactive(): boolean {
    return this.stream.isTTY === true;
  }

  /** Replaces the status line (on a terminal; cut to its width so it never wraps). */
  show(text: string): void {
    if (!this.interactive) return;
    const fitted = text.slice(0, Math.max(1, (this.stream.columns || 80) - 1));
    if (fitted === this.#current) return;
    this.#current = fitted;
    this.stream.write(`${CLEAR_LINE}${fitted}`);
  }

  /** Writes a permanent line above the status line. */
  print(line: string): void {
    if (this.interactive && this.#current) {
      this.stream.write(`${CLEAR_LINE}${line}\n${this.#current}`);
    } else {
      this.stream.write(`${line}\n`);
    }
  }

  /** Removes the status line. */
  clear(): void {
    if (this.interactive && this.#current) this.stream.write(CLEAR_LINE);
    this.#current = '';
  }
}
