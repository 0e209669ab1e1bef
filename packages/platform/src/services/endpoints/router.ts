/** A running model-server instance and how many requests it is answering now. */
export interface LiveInstance {
  /** Its (first) container's model server. */
  readonly url: string;
  outstanding: number;
  /** When it last finished answering a request (ms since the epoch). */
  lastUsed?: number;
  /**
   * For a model of several containers: how requests pass them, and each container's server by
   * hostname, in the model's order.
   */
  readonly containers?: {
    readonly mode: 'Serial' | 'Direct';
    readonly urls: ReadonlyMap<string, string>;
  };
}

/** A production variant that serves: its weight and its instances. */
export interface LiveVariant {
  readonly name: string;
  /** Changed in place by UpdateEndpointWeightsAndCapacities. */
  weight: number;
  readonly instances: LiveInstance[];
  /** A serverless variant's: the most requests it answers at once; more are throttled. */
  readonly maxConcurrency?: number;
  /** A serverless variant's: starts an instance when it has none (a cold start). */
  readonly wake?: () => Promise<void>;
}

/** Where one request goes. */
export interface Route {
  readonly variant: string;
  readonly instance: LiveInstance;
}

/** What an endpoint serves with: its fleet, and during a blue/green update the new one too. */
interface Serving {
  readonly blue: readonly LiveVariant[];
  readonly green?: readonly LiveVariant[];
  /** The share of requests the green fleet gets, 0 to 1. */
  readonly greenShare: number;
  /** Shadow variants: each gets a copy of every request, its answer discarded. */
  readonly shadows: readonly LiveVariant[];
}

/**
 * Chooses, for each invocation, a variant — the one the caller targets, else at random in
 * proportion to the variants' weights — and, within it, the instance answering the fewest
 * requests, as SageMaker routes by least outstanding requests. While an endpoint's traffic
 * shifts to a new fleet, each request first goes to the new fleet with its share's chance.
 */
export class Router {
  readonly #endpoints = new Map<string, Serving>();

  constructor(private readonly random: () => number = Math.random) {}

  /** The endpoint serves with these variants alone (and copies requests to its shadows). */
  set(
    endpoint: string,
    variants: readonly LiveVariant[],
    shadows: readonly LiveVariant[] = [],
  ): void {
    this.#endpoints.set(endpoint, { blue: variants, greenShare: 0, shadows });
  }

  /** The endpoint's requests are split between its fleet and a new one taking `greenShare`. */
  split(
    endpoint: string,
    fleets: { blue: readonly LiveVariant[]; green: readonly LiveVariant[]; greenShare: number },
  ): void {
    const shadows = this.#endpoints.get(endpoint)?.shadows ?? [];
    this.#endpoints.set(endpoint, { ...fleets, shadows });
  }

  /** Where the copy of a request goes: the least busy instance of a shadow variant, if any. */
  shadow(endpoint: string): Route | undefined {
    const variant = this.#endpoints.get(endpoint)?.shadows.find((v) => v.instances.length > 0);
    return variant && { variant: variant.name, instance: leastBusy(variant.instances) };
  }

  remove(endpoint: string): void {
    this.#endpoints.delete(endpoint);
  }

  /**
   * The route, or why there is none: the endpoint does not serve, or has no such variant.
   * `avoid` is an instance URL not to choose while the variant has another (a retry's).
   */
  pick(
    endpoint: string,
    target?: string,
    avoid?: string,
  ): Route | { readonly cold: LiveVariant } | 'no-endpoint' | 'no-variant' | 'throttled' {
    const serving = this.#endpoints.get(endpoint);
    if (!serving) return 'no-endpoint';
    const toGreen = serving.green !== undefined && this.random() < serving.greenShare;
    const [first, second] = toGreen ? [serving.green, serving.blue] : [serving.blue, serving.green];
    const variant =
      target === undefined
        ? this.#byWeight(first)
        : (first.find((v) => v.name === target) ?? second?.find((v) => v.name === target));
    if (!variant) return 'no-variant';
    if (variant.instances.length === 0) return variant.wake ? { cold: variant } : 'no-variant';
    if (variant.maxConcurrency !== undefined) {
      const inFlight = variant.instances.reduce((sum, i) => sum + i.outstanding, 0);
      if (inFlight >= variant.maxConcurrency) return 'throttled';
    }
    const candidates = variant.instances.filter((i) => i.url !== avoid);
    const pool = candidates.length > 0 ? candidates : variant.instances;
    return { variant: variant.name, instance: leastBusy(pool) };
  }

  #byWeight(variants: readonly LiveVariant[]): LiveVariant | undefined {
    const total = variants.reduce((sum, v) => sum + v.weight, 0);
    if (total <= 0) return variants[0];
    let point = this.random() * total;
    for (const variant of variants) {
      point -= variant.weight;
      if (point < 0) return variant;
    }
    return variants[variants.length - 1];
  }
}

/** The instance answering the fewest requests (the first of those tied). */
function leastBusy(instances: readonly LiveInstance[]): LiveInstance {
  let best = instances[0]!;
  for (const candidate of instances) {
    if (candidate.outstanding < best.outstanding) best = candidate;
  }
  return best;
}
