#!/usr/bin/env node
import { resolveClientSettings } from './client.js';
import { describeFailure } from './errors.js';
import { createProgram } from './program.js';

const program = createProgram();
program.parseAsync(process.argv).catch((error: unknown) => {
  const { endpointUrl } = resolveClientSettings(program.opts());
  process.stderr.write(`plinth: ${describeFailure(error, endpointUrl)}\n`);
  process.exitCode = 1;
});
