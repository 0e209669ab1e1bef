import { describe, expect, it } from 'vitest';
import {
  decideCapacity,
  SCALE_IN_PERIODS,
  type ScalingInput,
  type TrackingPolicy,
} from './scaling-decision.js';

const POLICY: TrackingPolicy = {
  name: 'invocations',
  targetValue: 100,
  scaleOutCooldownMs: 60_000,
  scaleInCooldownMs: 120_000,
  disableScaleIn: false,
};

function input(overrides: Partial<ScalingInput>): ScalingInput {
  return {
    current: 2,
    min: 1,
    max: 10,
    metric: 100,
    policies: [POLICY],
    nowMs: 1_000_000,
    lowPeriods: 0,
    suspended: { out: false, in: false },
    ...overrides,
  };
}

describe('decideCapacity', () => {
  it('holds the capacity when the metric is at the target', () => {
    expect(decideCapacity(input({}))).toEqual({ kind: 'none', lowPeriods: 0 });
  });

  it('scales out to ceil(current × metric / target), within MaxCapacity', () => {
    expect(decideCapacity(input({ metric: 250 }))).toMatchObject({ kind: 'out', capacity: 5 });
    expect(decideCapacity(input({ metric: 2_000 }))).toMatchObject({ kind: 'out', capacity: 10 });
    expect(decideCapacity(input({ current: 10, metric: 2_000 }))).toMatchObject({ kind: 'none' });
  });

  it('waits out ScaleOutCooldown after a scale-out', () => {
    const now = 1_000_000;
    expect(
      decideCapacity(input({ metric: 300, nowMs: now, lastScaleOutMs: now - 59_000 })).kind,
    ).toBe('none');
    expect(
      decideCapacity(input({ metric: 300, nowMs: now, lastScaleOutMs: now - 60_000 })).kind,
    ).toBe('out');
  });

  it('scales in only after SCALE_IN_PERIODS low periods, one step of at most 10%', () => {
    let lowPeriods = 0;
    for (let period = 1; period < SCALE_IN_PERIODS; period++) {
      const decision = decideCapacity(input({ current: 4, metric: 0, lowPeriods }));
      expect(decision).toEqual({ kind: 'none', lowPeriods: period });
      lowPeriods = decision.lowPeriods;
    }
    expect(decideCapacity(input({ current: 4, metric: 0, lowPeriods }))).toMatchObject({
      kind: 'in',
      capacity: 3,
    });
    expect(decideCapacity(input({ current: 40, max: 100, metric: 0, lowPeriods }))).toMatchObject({
      kind: 'in',
      capacity: 36,
    });
    // Never below MinCapacity; a count above MaxCapacity comes down to it at once.
    expect(decideCapacity(input({ current: 40, metric: 0, lowPeriods }))).toMatchObject({
      kind: 'in',
      capacity: 10,
    });
    expect(decideCapacity(input({ current: 2, min: 2, metric: 0, lowPeriods })).kind).toBe('none');
  });

  it('counts a period as low only below 90% of the target, and a high one resets the count', () => {
    expect(decideCapacity(input({ metric: 91, lowPeriods: 1 }))).toEqual({
      kind: 'none',
      lowPeriods: 0,
    });
    expect(decideCapacity(input({ metric: 89, lowPeriods: 0 }))).toEqual({
      kind: 'none',
      lowPeriods: 1,
    });
  });

  it('waits out ScaleInCooldown after a scale-in', () => {
    const low = { current: 4, metric: 0, lowPeriods: SCALE_IN_PERIODS, nowMs: 1_000_000 };
    expect(decideCapacity(input({ ...low, lastScaleInMs: 1_000_000 - 119_000 })).kind).toBe('none');
    expect(decideCapacity(input({ ...low, lastScaleInMs: 1_000_000 - 120_000 })).kind).toBe('in');
  });

  it('never scales in with DisableScaleIn, and honours suspended scaling', () => {
    const low = { current: 4, metric: 0, lowPeriods: SCALE_IN_PERIODS };
    expect(
      decideCapacity(input({ ...low, policies: [{ ...POLICY, disableScaleIn: true }] })).kind,
    ).toBe('none');
    expect(decideCapacity(input({ ...low, suspended: { out: false, in: true } })).kind).toBe(
      'none',
    );
    expect(decideCapacity(input({ metric: 500, suspended: { out: true, in: false } })).kind).toBe(
      'none',
    );
  });

  it('with several policies, scales out for the most demanding and in only when all agree', () => {
    const tight = { ...POLICY, name: 'tight', targetValue: 50 };
    expect(decideCapacity(input({ metric: 150, policies: [POLICY, tight] }))).toMatchObject({
      kind: 'out',
      capacity: 6,
      policy: { name: 'tight' },
    });
    // 45 is low for a target of 100 but not for 50: no scale-in.
    expect(
      decideCapacity(
        input({ metric: 45, lowPeriods: SCALE_IN_PERIODS, policies: [POLICY, tight] }),
      ),
    ).toEqual({ kind: 'none', lowPeriods: 0 });
  });

  it('moves a count below MinCapacity up, and does nothing without policies', () => {
    expect(decideCapacity(input({ current: 1, min: 3, metric: 0 }))).toMatchObject({
      kind: 'out',
      capacity: 3,
    });
    expect(decideCapacity(input({ metric: 1_000, policies: [] }))).toEqual({
      kind: 'none',
      lowPeriods: 0,
    });
  });
});
