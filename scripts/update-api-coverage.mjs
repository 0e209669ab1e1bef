#!/usr/bin/env node
// Rewrites docs/api-coverage.md: one row per operation of each AWS API model Plinth speaks,
// keeping the status and notes already written and adding new operations as "not yet".
// packages/platform/src/api/coverage.test.ts checks the table against the handlers.
import { readFileSync, writeFileSync } from 'node:fs';

const DOC = 'docs/api-coverage.md';
const SECTIONS = [
  ['sagemaker', 'SageMaker (control plane, AWS JSON 1.1, `X-Amz-Target: SageMaker.*`)'],
  ['sagemaker-runtime', 'SageMaker Runtime (`/endpoints/{name}/invocations`)'],
  [
    'application-autoscaling',
    'Application Auto Scaling (`X-Amz-Target: AnyScaleFrontendService.*`)',
  ],
  ['sagemaker-featurestore-runtime', 'SageMaker Feature Store Runtime'],
  ['logs', 'CloudWatch Logs (training job logs, `X-Amz-Target: Logs_20140328.*`)'],
];

const previous = new Map();
let header = '';
try {
  const text = readFileSync(DOC, 'utf8');
  header = text.split('\n## ')[0];
  let section = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) section = line;
    const row = /^\| `?([A-Za-z0-9]+)`? \| (implemented|partial|not yet) \| (.*) \|$/.exec(line);
    if (row) previous.set(`${section}|${row[1]}`, [row[2], row[3]]);
  }
} catch {
  // First run: no document yet.
}

const out = [header.trimEnd(), ''];
for (const [name, title] of SECTIONS) {
  const model = JSON.parse(readFileSync(`packages/platform/models/${name}.json`, 'utf8'));
  const ops = Object.keys(model.operations).sort();
  const heading = `## ${title}`;
  const rows = ops.map((op) => [op, ...(previous.get(`${heading}|${op}`) ?? ['not yet', ''])]);
  const done = rows.filter((r) => r[1] !== 'not yet').length;
  out.push(
    heading,
    '',
    `${done} of ${ops.length} operations.`,
    '',
    '| operation | status | notes |',
    '| --- | --- | --- |',
  );
  for (const [op, status, notes] of rows) out.push(`| ${op} | ${status} | ${notes} |`);
  out.push('');
}
const s3 = [...previous.entries()].filter(([k]) => k.startsWith('## S3'));
const s3Heading = s3.length ? s3[0][0].split('|')[0] : '## S3-compatible object API (path-style)';
out.push(s3Heading, '', '| operation | status | notes |', '| --- | --- | --- |');
for (const [key, [status, notes]] of s3)
  out.push(`| ${key.split('|')[1]} | ${status} | ${notes} |`);
out.push('');
writeFileSync(DOC, out.join('\n'));
console.log(`wrote ${DOC}`);
