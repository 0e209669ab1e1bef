import type { Command } from 'commander';
import { connectRuntime, type ClientOptions } from '../client.js';
import { explainInvokeFailure } from './invoke-errors.js';
import { chooseBodySource, type BodyFlags } from './invoke-flags.js';
import { readRequestBody } from './request-body.js';

/** `plinth invoke`'s flags as commander parses them. */
export interface InvokeFlags extends BodyFlags {
  readonly contentType: string;
  readonly accept?: string;
  readonly targetVariant?: string;
  readonly customAttributes?: string;
  readonly verbose?: boolean;
}

/**
 * Sends one InvokeEndpoint request and writes the model's answer to stdout byte for byte (with a
 * final newline added only on a terminal); with --verbose, the variant that answered to stderr.
 */
export async function runInvoke(
  endpoint: string,
  flags: InvokeFlags,
  context: { clientOptions: ClientOptions; command: Command },
): Promise<void> {
  const source = chooseBodySource(flags);
  if (typeof source === 'string') context.command.error(`error: ${source}`);
  const body = await readRequestBody(source);
  const runtime = await connectRuntime(context.clientOptions);
  let answer;
  try {
    answer = await runtime.client.send(
      new runtime.sdk.InvokeEndpointCommand({
        EndpointName: endpoint,
        Body: body,
        ContentType: flags.contentType,
        Accept: flags.accept,
        TargetVariant: flags.targetVariant,
        CustomAttributes: flags.customAttributes,
      }),
    );
  } catch (error) {
    const explained = explainInvokeFailure(error, endpoint);
    throw explained ? new Error(explained) : error;
  }
  const output = answer.Body ?? new Uint8Array();
  process.stdout.write(output);
  if (process.stdout.isTTY && output.at(-1) !== 0x0a) process.stdout.write('\n');
  if (flags.verbose) {
    process.stderr.write(`Invoked variant: ${answer.InvokedProductionVariant ?? '-'}\n`);
    process.stderr.write(`Content-Type: ${answer.ContentType ?? '-'}\n`);
    if (answer.CustomAttributes)
      process.stderr.write(`Custom attributes: ${answer.CustomAttributes}\n`);
  }
}
