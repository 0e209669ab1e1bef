import { describe, expect, it } from 'vitest';
import { createMetricReader, formatTransition, renderStatusLine } from './status-line.js';

describe('the training status display', () => {
  it('renders the live line: status, secondary status, elapsed time and latest metric', () => {
    expect(
      renderStatusLine({
        status: 'InProgress',
        secondaryStatus: 'Training',
        elapsedMs: 72_400,
        metric: 'test:msd=0.12',
      }),
    ).toBe('InProgress | Training | 1:12 | test:msd=0.12');
    expect(renderStatusLine({ elapsedMs: 3_723_000 })).toBe('InProgress | Starting | 1:02:03');
  });

  it('renders a transition as a plain line timed from the job creation', () => {
    const created = new Date('2024-05-01T12:00:00Z');
    expect(
      formatTransition(
        {
          Status: 'Training',
          StartTime: new Date('2024-05-01T12:00:05.900Z'),
          StatusMessage: 'Training image download completed. Training in progress.',
        },
        created,
      ),
    ).toBe('[0:05] Training - Training image download completed. Training in progress.');
    expect(formatTransition({ Status: 'Starting', StartTime: created }, undefined)).toBe(
      '[0:00] Starting',
    );
  });

  it("reads metrics by the job's definitions first, then from built-ins' quality lines", () => {
    const read = createMetricReader([
      { Name: 'train:loss', Regex: 'loss=(\\S+)' },
      { Name: 'broken', Regex: '(' },
    ]);
    expect(read('epoch=3 loss=0.333')).toBe('train:loss=0.333');
    expect(read('#quality_metric: host=algo-1, test msd <loss>=0.0123')).toBe(
      'test msd <loss>=0.0123',
    );
    expect(read('Reading the train channel')).toBeUndefined();
  });
});
