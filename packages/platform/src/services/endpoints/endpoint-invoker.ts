import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Logger } from '../../logging/logger.js';
import type { CaptureWriter } from '../data-capture/capture-writer.js';
import type { CaptureSettings } from '../data-capture/capture-settings.js';
import {
  DEFAULT_INVOCATION_TIMEOUT_MS,
  isConnectionFailure,
  isTimeout,
  postInvocation,
  type ModelResponse,
} from './model-server-client.js';
import type { LiveInstance, Route, Router } from './router.js';

/** An InvokeEndpoint request, as the runtime API received it. */
export interface Invocation {
  readonly endpoint: string;
  readonly target?: string;
  /** What the model server is told: content type, accept, custom attributes. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly inferenceId?: string;
  /** For a model whose containers are invoked directly: which one. */
  readonly targetContainer?: string;
  /** How long the model server may take (60 s, SageMaker's real-time limit, by default). */
  readonly timeoutMs?: number;
}

/** A model server's whole answer. */
export interface InvocationAnswer {
  readonly variant: string;
  readonly status: number;
  readonly headers: ModelResponse['headers'];
  readonly body: Buffer;
  /** From sending the request to the model server until its whole answer was read. */
  readonly modelLatencyMs: number;
  /** The container that answered, for a model of several. */
  readonly container?: string;
}

/** A model server's answer still arriving, for a streamed response. */
export interface OpenAnswer {
  readonly variant: string;
  readonly response: ModelResponse;
  readonly container?: string;
  /** Called once the answer has been read or abandoned: the instance is free again. */
  done(): void;
}

/** Why an invocation found nowhere to go, or could not reach a model server. */
export class InvocationError extends Error {
  constructor(
    readonly kind:
      'no-endpoint' | 'no-variant' | 'no-container' | 'throttled' | 'timeout' | 'unreachable',
    message: string,
  ) {
    super(message);
  }
}

export interface EndpointInvokerOptions {
  readonly router: Router;
  /** Data capture, for endpoints whose configuration asks for it. */
  readonly capture?: {
    settings(endpoint: string): CaptureSettings | undefined;
    readonly writer: CaptureWriter;
  };
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

/**
 * Carries an invocation to a model server of the endpoint: routes it (by weight, target and
 * least outstanding requests), retries it once on another instance when the first could not
 * be reached (it never received it), sends a copy to the endpoint's shadow variant (whose
 * answer is discarded), and hands a sample of answered invocations to data capture.
 */
export class EndpointInvoker {
  constructor(private readonly options: EndpointInvokerOptions) {}

  /** The model server's whole answer. */
  async invoke(call: Invocation): Promise<InvocationAnswer> {
    const { route, response, sentAt, container } = await this.#send(call);
    try {
      const body = Buffer.from(await response.arrayBuffer());
      const answer = {
        variant: route.variant,
        status: response.status,
        headers: response.headers,
        body,
        modelLatencyMs: performance.now() - sentAt,
        ...(container ? { container } : {}),
      };
      if (response.ok) this.#capture(call, answer);
      return answer;
    } finally {
      this.#release(route);
    }
  }

  /** The model server's answer as it arrives (InvokeEndpointWithResponseStream). */
  async open(call: Invocation): Promise<OpenAnswer> {
    const { route, response, container } = await this.#send(call);
    let freed = false;
    return {
      variant: route.variant,
      response,
      ...(container ? { container } : {}),
      done: () => {
        if (!freed) this.#release(route);
        freed = true;
      },
    };
  }

  /**
   * Sends the request to an instance, and once more to another if the first cannot be reached.
   * The chosen instance's outstanding count stays raised until the caller has read the answer.
   */
  async #send(
    call: Invocation,
  ): Promise<{ route: Route; response: ModelResponse; sentAt: number; container?: string }> {
    this.#shadow(call);
    let failed: { url: string; error: Error } | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const route = await this.#route(call, failed?.url);
      route.instance.outstanding += 1;
      const sentAt = performance.now();
      try {
        return { route, sentAt, ...(await passContainers(route.instance, call)) };
      } catch (error) {
        this.#release(route);
        if (error instanceof InvocationError) throw error;
        if (isTimeout(error)) {
          throw new InvocationError(
            'timeout',
            `Your invocation timed out while waiting for a response from the model server of endpoint ${call.endpoint} (${Math.round((call.timeoutMs ?? DEFAULT_INVOCATION_TIMEOUT_MS) / 1000)} s).`,
          );
        }
        // Only a request that never reached a model server is sent again.
        if (!isConnectionFailure(error)) throw error;
        failed = { url: route.instance.url, error: error as Error };
      }
    }
    throw new InvocationError(
      'unreachable',
      `No model server of endpoint ${call.endpoint} could be reached: ${failed?.error.message ?? ''}`,
    );
  }

  /**
   * The instance the request goes to. A serverless variant with no instance starts one first
   * (a cold start: the request waits for it rather than failing).
   */
  async #route(call: Invocation, avoid: string | undefined): Promise<Route> {
    let route = this.options.router.pick(call.endpoint, call.target, avoid);
    if (typeof route === 'object' && 'cold' in route) {
      const { cold } = route;
      await cold.wake!().catch((error: unknown) => {
        throw new InvocationError(
          'unreachable',
          `The serverless variant ${cold.name} of endpoint ${call.endpoint} could not start a model server: ${(error as Error).message}`,
        );
      });
      route = this.options.router.pick(call.endpoint, cold.name, avoid);
    }
    if (typeof route === 'string') throw new InvocationError(route, route);
    if ('cold' in route) throw new InvocationError('no-variant', 'no-variant');
    return route;
  }

  /** The instance has finished with a request. */
  #release(route: Route): void {
    route.instance.outstanding -= 1;
    route.instance.lastUsed = this.options.clock.now().getTime();
  }

  /** A copy to the shadow variant, if there is one; its answer (or failure) is dropped. */
  #shadow(call: Invocation): void {
    const route = this.options.router.shadow(call.endpoint);
    if (!route) return;
    route.instance.outstanding += 1;
    void postInvocation(route.instance.url, call)
      .then((response) => response.arrayBuffer())
      .catch((error: unknown) =>
        this.options.logger.debug('A shadow variant did not answer', {
          endpoint: call.endpoint,
          variant: route.variant,
          err: error,
        }),
      )
      .finally(() => (route.instance.outstanding -= 1));
  }

  #capture(call: Invocation, answer: InvocationAnswer): void {
    const capture = this.options.capture;
    const settings = capture?.settings(call.endpoint);
    if (!capture || !settings) return;
    capture.writer.record(
      { endpoint: call.endpoint, variant: answer.variant, settings },
      {
        eventId: this.options.ids.uuid(),
        ...(call.inferenceId ? { inferenceId: call.inferenceId } : {}),
        inferenceTime: this.options.clock.now(),
        input: {
          contentType: call.headers['content-type'] ?? 'application/octet-stream',
          body: call.body,
        },
        output: {
          contentType: answer.headers.get('content-type') ?? 'application/octet-stream',
          body: answer.body,
        },
      },
    );
  }
}

/**
 * Sends the request through the instance's containers: its one model server; or, for a model
 * of several, the one the caller names (Direct), or each in turn with the previous one's answer
 * as its request (Serial, an inference pipeline; the caller's Accept goes to the last). An
 * error answer ends the pipeline there.
 */
export async function passContainers(
  instance: LiveInstance,
  call: Invocation,
): Promise<{ response: ModelResponse; container?: string }> {
  const containers = instance.containers;
  if (!containers) return { response: await post(instance.url, call.headers, call) };
  if (containers.mode === 'Direct') {
    const url = call.targetContainer && containers.urls.get(call.targetContainer);
    if (!url) {
      throw new InvocationError(
        'no-container',
        `The model of endpoint ${call.endpoint} invokes its containers directly: set TargetContainerHostname to one of ${[...containers.urls.keys()].join(', ')}.`,
      );
    }
    return { response: await post(url, call.headers, call), container: call.targetContainer };
  }
  const { accept, ...headers } = call.headers;
  const stages = [...containers.urls];
  let request = { headers, body: call.body };
  for (const [index, [hostname, url]] of stages.entries()) {
    const last = index === stages.length - 1;
    const response = await post(
      url,
      last && accept ? { ...request.headers, accept } : request.headers,
      { body: request.body, ...(call.timeoutMs ? { timeoutMs: call.timeoutMs } : {}) },
    );
    if (last || !response.ok) return { response, container: hostname };
    request = {
      headers: {
        ...request.headers,
        'content-type': response.headers.get('content-type') ?? 'application/octet-stream',
      },
      body: Buffer.from(await response.arrayBuffer()),
    };
  }
  throw new Error('A model has at least one container.');
}

function post(
  url: string,
  headers: Readonly<Record<string, string>>,
  call: { body: Buffer; timeoutMs?: number },
): Promise<ModelResponse> {
  return postInvocation(url, { headers, ...call });
}
