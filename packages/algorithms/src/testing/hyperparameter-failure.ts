import { expect } from 'vitest';
import { HyperparameterError } from '../common/errors.js';

/**
 * The message a hyperparameter parser fails with for `base` overlaid with `extra`; fails the
 * test if it does not throw a HyperparameterError.
 */
export function hyperparameterFailure(
  parse: (values: Record<string, unknown>) => unknown,
  values: { base: Record<string, unknown>; extra: Record<string, unknown> },
): string {
  try {
    parse({ ...values.base, ...values.extra });
  } catch (error) {
    expect(error).toBeInstanceOf(HyperparameterError);
    return (error as Error).message;
  }
  throw new Error('expected a HyperparameterError');
}
