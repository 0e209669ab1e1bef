import { formatElapsed } from '../output.js';
import type { EndpointDescription } from './follow-endpoint.js';

/** What `plinth deploy` prints once the endpoint has settled, and the exit code it ends with. */
export interface DeployOutcome {
  readonly lines: readonly string[];
  readonly exitCode: number;
}

/** What the summary needs besides the endpoint. */
export interface OutcomeContext {
  readonly elapsedMs: number;
  /** The server, for the `aws --endpoint-url` commands the summary suggests. */
  readonly endpointUrl: string;
}

/**
 * The summary of a settled endpoint: InService gives how to invoke it (exit 0); Failed its
 * FailureReason and how to clear the name to try again (exit 1); anything else where to look.
 */
export function describeDeployOutcome(
  endpoint: EndpointDescription,
  context: OutcomeContext,
): DeployOutcome {
  const name = endpoint.EndpointName ?? '';
  const status = endpoint.EndpointStatus ?? 'unknown';
  const header = `Endpoint ${name}: ${status} (after ${formatElapsed(context.elapsedMs)})`;
  if (status === 'InService') {
    return {
      exitCode: 0,
      lines: [
        header,
        `Invoke it: plinth invoke ${name} --body '<csv row>'   (or --file <path>; --content-type for other formats)`,
      ],
    };
  }
  if (status === 'Failed') {
    const aws = `aws --endpoint-url ${context.endpointUrl} sagemaker`;
    return {
      exitCode: 1,
      lines: [
        header,
        `Reason: ${endpoint.FailureReason ?? '(none given)'}`,
        'Fix the image or the model artifact and deploy again; to reuse this name, delete what this deploy made first:',
        `  ${aws} delete-endpoint --endpoint-name ${name}`,
        `  ${aws} delete-endpoint-config --endpoint-config-name ${name}`,
        `  ${aws} delete-model --model-name ${name}`,
      ],
    };
  }
  return {
    exitCode: 1,
    lines: [header, `See where it stands with: plinth endpoints describe ${name}`],
  };
}
