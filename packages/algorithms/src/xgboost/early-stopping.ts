/**
 * xgboost's `EarlyStopping` callback as SageMaker configures it: watch one metric on the
 * validation channel, remember the best round (strictly better than the best so far counts as
 * an improvement), and stop once `rounds` rounds in a row have not improved on it.
 */
export class EarlyStopping {
  readonly #rounds: number;
  readonly #maximize: boolean;
  #best = NaN;
  #stale = 0;
  /** The round with the best score so far (-1 before the first). */
  bestRound = -1;

  constructor(rounds: number, maximize: boolean) {
    this.#rounds = rounds;
    this.#maximize = maximize;
  }

  get bestScore(): number {
    return this.#best;
  }

  /** Records round `round`'s score; true when training should stop. */
  update(round: number, score: number): boolean {
    const improved =
      this.bestRound < 0 || (this.#maximize ? score > this.#best : this.#best > score);
    if (improved) {
      this.#best = score;
      this.bestRound = round;
      this.#stale = 0;
    } else this.#stale++;
    return this.#stale >= this.#rounds;
  }
}
