import type { Command } from 'commander';
import type { ClientOptions } from '../client.js';
import { parseBodyFile } from '../invoke/invoke-flags.js';
import { runInvoke, type InvokeFlags } from '../invoke/run-invoke.js';

const EXAMPLES = `
The answer goes to stdout as the model sent it, so it can be piped; errors go to stderr with
exit code 1 (a ModelError with the model's own status and message).

Examples:
  plinth invoke my-endpoint --body '1.5,2.5'
  plinth invoke my-endpoint --file rows.csv --accept text/csv
  echo '{"instances":[{"features":[1.5,2.5]}]}' | plinth invoke my-endpoint --file - \\
    --content-type application/json --verbose
`;

/** `plinth invoke <endpoint>`: one InvokeEndpoint request through the SageMaker Runtime API. */
export function registerInvoke(program: Command, clientOptions: () => ClientOptions): void {
  program
    .command('invoke <endpoint>')
    .description("send a request to an endpoint and print the model's answer")
    .option('--body <text>', 'the request body')
    .option('--file <path>', "read the request body from a file ('-' for stdin)", parseBodyFile)
    .option('--content-type <type>', "the body's type", 'text/csv')
    .option('--accept <type>', "the answer type to ask for (default: the model's choice)")
    .option('--target-variant <name>', 'send to this production variant rather than by weight')
    .option(
      '--custom-attributes <text>',
      'passed to the model as X-Amzn-SageMaker-Custom-Attributes',
    )
    .option('--verbose', "print the variant that answered and the answer's type to stderr")
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError("(run 'plinth invoke --help' for usage)")
    .action((endpoint: string, flags: InvokeFlags, command: Command) =>
      runInvoke(endpoint, flags, { clientOptions: clientOptions(), command }),
    );
}
