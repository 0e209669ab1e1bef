#!/usr/bin/env node
// Regenerates packages/platform/models/*.json from the AWS API models that botocore ships
// (Apache-2.0). Plinth validates requests against these shapes exactly as AWS's front end
// does (required members, lengths, ranges, patterns, enums), so the models are data we keep,
// stripped of documentation. Usage: node scripts/import-api-models.mjs [botocore data dir]
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const SERVICES = [
  'sagemaker',
  'sagemaker-runtime',
  'application-autoscaling',
  'sagemaker-featurestore-runtime',
  'logs',
];
const DROPPED = new Set(['documentation', 'documentationUrl', 'examples', 'deprecatedMessage']);

const dataDir =
  process.argv[2] ??
  join(
    execFileSync(
      'python3',
      ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'],
      {
        encoding: 'utf8',
      },
    ).trim(),
    'data',
  );
const version = execFileSync('python3', ['-c', 'import botocore; print(botocore.__version__)'], {
  encoding: 'utf8',
}).trim();

const strip = (value) =>
  Array.isArray(value)
    ? value.map(strip)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([k]) => !DROPPED.has(k))
            .map(([k, v]) => [k, strip(v)]),
        )
      : value;

for (const service of SERVICES) {
  const [apiVersion] = readdirSync(join(dataDir, service)).sort().reverse();
  const dir = join(dataDir, service, apiVersion);
  const file = readdirSync(dir).find((f) => f.startsWith('service-2.json'));
  const raw = readFileSync(join(dir, file));
  const model = JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
  model.metadata.source = `botocore ${version} (Apache-2.0), documentation removed`;
  writeFileSync(
    join('packages/platform/models', `${service}.json`),
    JSON.stringify(strip(model)) + '\n',
  );
  console.log(`${service} ${apiVersion}: ${Object.keys(model.operations).length} operations`);
}
