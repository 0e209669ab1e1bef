import { describe, expect, it } from 'vitest';
import { decideStep, type StepInput, type StepPolicy } from './step-scaling.js';

/** AWS's guide: add one instance while HasBacklogWithoutCapacity >= 1. */
const FROM_ZERO: StepPolicy = {
  name: 'HasBacklogWithoutCapacity-ScalingPolicy',
  adjustmentType: 'ChangeInCapacity',
  steps: [{ lower: 0, adjustment: 1 }],
  cooldownMs: 300_000,
};

function input(overrides: Partial<StepInput>): StepInput {
  return {
    current: 0,
    min: 0,
    max: 4,
    metric: 1,
    policy: FROM_ZERO,
    nowMs: 1_000_000,
    suspended: { out: false, in: false },
    ...overrides,
  };
}

describe('decideStep', () => {
  it('adds an instance to an endpoint with a backlog and none, and nothing without a backlog', () => {
    expect(decideStep(input({}))).toEqual({ kind: 'out', capacity: 1 });
    expect(decideStep(input({ metric: 0 }))).toEqual({ kind: 'none' });
  });

  it('waits out the Cooldown since its last change, and honours MaxCapacity and suspension', () => {
    expect(decideStep(input({ lastScaledMs: 1_000_000 - 299_000 }))).toEqual({ kind: 'none' });
    expect(decideStep(input({ lastScaledMs: 1_000_000 - 300_000 }))).toMatchObject({ kind: 'out' });
    expect(decideStep(input({ current: 4 }))).toEqual({ kind: 'none' });
    expect(decideStep(input({ suspended: { out: true, in: false } }))).toEqual({ kind: 'none' });
  });

  it('picks the step whose interval holds the breach, and applies each AdjustmentType', () => {
    const steps = [
      { upper: 0, adjustment: -1 },
      { lower: 0, upper: 2, adjustment: 2 },
      { lower: 2, adjustment: 3 },
    ];
    const policy = { ...FROM_ZERO, steps, cooldownMs: 0 };
    expect(decideStep(input({ policy, metric: 1, current: 1 }))).toEqual({
      kind: 'out',
      capacity: 3,
    });
    expect(decideStep(input({ policy, metric: 3, current: 1 }))).toEqual({
      kind: 'out',
      capacity: 4,
    });
    expect(
      decideStep(
        input({ policy: { ...policy, adjustmentType: 'ExactCapacity' }, metric: 1, current: 1 }),
      ),
    ).toEqual({ kind: 'out', capacity: 2 });
    const percent: StepPolicy = {
      ...policy,
      adjustmentType: 'PercentChangeInCapacity',
      steps: [{ lower: 0, adjustment: 10 }],
      minAdjustmentMagnitude: 2,
    };
    // 10% of 1 is under one instance: MinAdjustmentMagnitude makes it 2.
    expect(decideStep(input({ policy: percent, current: 1 }))).toEqual({
      kind: 'out',
      capacity: 3,
    });
  });
});
