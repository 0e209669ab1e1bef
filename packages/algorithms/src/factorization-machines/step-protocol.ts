import type { MessagePort } from 'node:worker_threads';
import type { KernelBatch, KernelSettings, KernelState } from './kernel.js';

/** Slots of a step worker's control array (Int32Array over a SharedArrayBuffer). */
export const COMMAND = 0;
export const ROWS = 1;
/** The optimizer step, counting from 1. */
export const STEP = 2;
/** Raised by the caller for every order. */
export const SEQUENCE = 3;
/** Set by the worker to the sequence number it has carried out, or {@link FAILED}. */
export const DONE = 4;
export const FAILED = -1;
/** Int32 slots in a control array. */
export const CONTROL_SLOTS = 5;

/** What the caller asks of a step worker. */
export enum Command {
  /** Forward pass over this worker's share of the batch's `ROWS` rows. */
  Forward = 1,
  /** Gradients and Adam for this worker's features over the batch's `ROWS` rows, step `STEP`. */
  Update = 2,
  /** Take the batch arrays waiting on the worker's port (the batch outgrew the old ones). */
  Resize = 3,
  Stop = 4,
}

/** A step worker's start-up data: its share, and the shared memory it works in. */
export interface StepWorkerData {
  settings: KernelSettings;
  /** Weights and moments over SharedArrayBuffers (the bias moments are the caller's alone). */
  state: KernelState;
  batch: KernelBatch;
  /** This worker's share: rows `[rows·part/parts, rows·(part+1)/parts)`, features `i % parts === part`. */
  part: number;
  parts: number;
  control: Int32Array;
  /** A failure's message, UTF-8. */
  message: Uint8Array;
  /** Where the caller sends new batch arrays before a Resize order. */
  port: MessagePort;
}

/** Thread `part` of `parts`'s rows of a batch of `rows`. */
export function rowShare(rows: number, share: { part: number; parts: number }): [number, number] {
  const { part, parts } = share;
  return [Math.floor((rows * part) / parts), Math.floor((rows * (part + 1)) / parts)];
}

/**
 * How many times a waiting thread looks at the control array before it sleeps: a step's phases
 * take about a millisecond, and waking a sleeping thread costs tens of microseconds.
 */
const SPINS = 4000;

/** Waits until `control[slot]` is no longer `value` (spinning briefly, then sleeping); returns it. */
export function awaitChange(control: Int32Array, at: { slot: number; value: number }): number {
  for (let spin = 0; spin < SPINS; spin++) {
    const now = Atomics.load(control, at.slot);
    if (now !== at.value) return now;
  }
  Atomics.wait(control, at.slot, at.value);
  return Atomics.load(control, at.slot);
}
