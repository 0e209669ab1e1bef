import type { ScoringForest } from './scoring-forest.js';

/** Slots of a scoring worker's control array (Int32Array over a SharedArrayBuffer). */
export const COMMAND = 0;
export const ROWS = 1;
/** Raised by the caller for every order. */
export const SEQUENCE = 2;
/** Set by the worker to the sequence number it has carried out, or {@link FAILED}. */
export const DONE = 3;
/** Set to 1 by the worker once it waits for orders. */
export const READY = 4;
export const CONTROL_SLOTS = 5;
export const FAILED = -1;

/** What the caller asks of a scoring worker. */
export enum Command {
  /** Score the first `ROWS` rows of the shared input into the shared output. */
  Score = 1,
  Stop = 2,
}

/** A scoring worker's start-up data: the forest (shared, not copied) and its own buffers. */
export interface ScoreWorkerData {
  forest: ScoringForest;
  /** Float32 rows to score, up to `capacity` rows of `dim`. */
  input: SharedArrayBuffer;
  /** Float64 scores. */
  output: SharedArrayBuffer;
  control: SharedArrayBuffer;
  /** A failure's message, UTF-8. */
  message: SharedArrayBuffer;
}

/** Floats of input one worker takes per order: 4 MB, so wide rows still come in chunks. */
export const INPUT_FLOATS = 2 ** 20;
