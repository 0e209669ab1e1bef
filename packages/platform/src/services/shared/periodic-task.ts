/**
 * Work done again every interval in the background: a run still going when the next is due
 * makes that one be skipped, so runs never overlap; the timer does not keep the process alive.
 */
export class PeriodicTask {
  #timer: NodeJS.Timeout | undefined;
  #run: Promise<void> | undefined;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  /** Whether it is started and not stopped. */
  get started(): boolean {
    return this.#timer !== undefined;
  }

  start(): void {
    this.#timer ??= setInterval(() => {
      this.#run ??= this.work().finally(() => (this.#run = undefined));
    }, this.intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer; resolves once a run under way has ended. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#run;
  }
}
