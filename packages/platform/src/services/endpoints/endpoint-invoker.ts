import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Logger } from '../../logging/logger.js';
import type { CaptureWriter } from '../data-capture/capture-writer.js';
import type { CaptureSettings } from '../data-capture/capture-settings.js';
import type { Route, Router } from './router.js';

/** An InvokeEndpoint request, as the runtime API received it. */
export interface Invocation {
  readonly endpoint: string;
  readonly target?: string;
  /** What the model server is told: content type, accept, custom attributes. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly inferenceId?: string;
}

/** A model server's whole answer. */
export interface InvocationAnswer {
  readonly variant: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  /** From sending the request to the model server until its whole answer was read. */
  readonly modelLatencyMs: number;
}

/** A model server's answer still arriving, for a streamed response. */
export interface OpenAnswer {
  readonly variant: string;
  readonly response: Response;
  /** Called once the answer has been read or abandoned: the instance is free again. */
  done(): void;
}

/** Why an invocation found nowhere to go, or could not reach a model server. */
export class InvocationError extends Error {
  constructor(
    readonly kind: 'no-endpoint' | 'no-variant' | 'unreachable',
    message: string,
  ) {
    super(message);
  }
}

export interface EndpointInvokerOptions {
  readonly router: Router;
  readonly capture: {
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
    const { route, response, sentAt } = await this.#send(call);
    try {
      const body = Buffer.from(await response.arrayBuffer());
      const answer = {
        variant: route.variant,
        status: response.status,
        headers: response.headers,
        body,
        modelLatencyMs: performance.now() - sentAt,
      };
      if (response.ok) this.#capture(call, answer);
      return answer;
    } finally {
      route.instance.outstanding -= 1;
    }
  }

  /** The model server's answer as it arrives (InvokeEndpointWithResponseStream). */
  async open(call: Invocation): Promise<OpenAnswer> {
    const { route, response } = await this.#send(call);
    let freed = false;
    return {
      variant: route.variant,
      response,
      done: () => {
        if (!freed) route.instance.outstanding -= 1;
        freed = true;
      },
    };
  }

  /**
   * Sends the request to an instance, and once more to another if the first cannot be reached.
   * The chosen instance's outstanding count stays raised until the caller has read the answer.
   */
  async #send(call: Invocation): Promise<{ route: Route; response: Response; sentAt: number }> {
    this.#shadow(call);
    let failed: { url: string; error: Error } | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const route = this.#route(call, failed?.url);
      route.instance.outstanding += 1;
      const sentAt = performance.now();
      try {
        const response = await fetch(`${route.instance.url}/invocations`, {
          method: 'POST',
          headers: call.headers,
          body: call.body,
        });
        return { route, response, sentAt };
      } catch (error) {
        route.instance.outstanding -= 1;
        failed = { url: route.instance.url, error: error as Error };
      }
    }
    throw new InvocationError(
      'unreachable',
      `No model server of endpoint ${call.endpoint} could be reached: ${failed?.error.message ?? ''}`,
    );
  }

  #route(call: Invocation, avoid: string | undefined): Route {
    const route = this.options.router.pick(call.endpoint, call.target, avoid);
    if (route === 'no-endpoint' || route === 'no-variant') {
      throw new InvocationError(route, route);
    }
    return route;
  }

  /** A copy to the shadow variant, if there is one; its answer (or failure) is dropped. */
  #shadow(call: Invocation): void {
    const route = this.options.router.shadow(call.endpoint);
    if (!route) return;
    route.instance.outstanding += 1;
    void fetch(`${route.instance.url}/invocations`, {
      method: 'POST',
      headers: call.headers,
      body: call.body,
    })
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
    const settings = this.options.capture.settings(call.endpoint);
    if (!settings) return;
    this.options.capture.writer.record(
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
