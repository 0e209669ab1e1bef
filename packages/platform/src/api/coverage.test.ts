import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadApiModel } from './api-model/api-model.js';
import { createAutoscalingHandlers } from './handlers/autoscaling-handlers.js';
import { createSageMakerHandlers, type SageMakerServices } from './handlers/sagemaker-handlers.js';
import type { AutoscalingService } from '../services/autoscaling/autoscaling-service.js';

const DOC = new URL('../../../../docs/api-coverage.md', import.meta.url);

/** Rows of one `## ` section of the coverage table: operation -> status. */
function sectionRows(title: string): Map<string, string> {
  const section = readFileSync(DOC, 'utf8')
    .split('\n## ')
    .find((s) => s.startsWith(title));
  if (!section) throw new Error(`docs/api-coverage.md has no section "${title}"`);
  const rows = new Map<string, string>();
  for (const match of section.matchAll(
    /^\| ([A-Za-z0-9]+) \| (implemented|partial|not yet) \|/gm,
  )) {
    rows.set(match[1]!, match[2]!);
  }
  return rows;
}

describe('docs/api-coverage.md', () => {
  it('lists every SageMaker operation, and marks served exactly those Plinth has handlers for', () => {
    const rows = sectionRows('SageMaker (control plane');
    const operations = Object.keys(loadApiModel('sagemaker').operations).sort();
    expect([...rows.keys()].sort()).toEqual(operations);
    // Only the handler names matter here; no handler is called.
    const handled = Object.keys(createSageMakerHandlers({} as SageMakerServices)).sort();
    const served = [...rows]
      .filter(([, status]) => status !== 'not yet')
      .map(([op]) => op)
      .sort();
    expect(served, 'run node scripts/update-api-coverage.mjs and mark the row').toEqual(handled);
  });

  it('marks served exactly the Application Auto Scaling operations Plinth has handlers for', () => {
    const rows = sectionRows('Application Auto Scaling');
    const operations = Object.keys(loadApiModel('application-autoscaling').operations).sort();
    expect([...rows.keys()].sort()).toEqual(operations);
    const handled = Object.keys(createAutoscalingHandlers({} as AutoscalingService)).sort();
    const served = [...rows]
      .filter(([, status]) => status !== 'not yet')
      .map(([op]) => op)
      .sort();
    expect(served, 'mark the row in docs/api-coverage.md').toEqual(handled);
  });
});
