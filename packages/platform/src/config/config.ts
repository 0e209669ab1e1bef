import { availableParallelism, homedir, totalmem } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LogLevel } from '../logging/logger.js';

/** One access key pair that may sign requests. */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Everything Plinth reads from its environment, validated and frozen. */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** `sqlite:<path>` or `postgres://...` */
  readonly databaseUrl: string;
  /** `file://<dir>` or `s3://` (real S3 or any S3-compatible endpoint) */
  readonly objectStoreUrl: string;
  /** Endpoint of an S3-compatible service when objectStoreUrl is `s3://`; empty for AWS itself. */
  readonly s3Endpoint: string;
  readonly region: string;
  readonly accountId: string;
  /** Keys that may sign requests; empty means signatures are not checked and the server stays on loopback. */
  readonly accessKeys: readonly AccessKey[];
  readonly logLevel: LogLevel;
  /** Where training jobs' work directories and logs live: `<dataDir>/jobs`. */
  readonly jobsDir: string;
  /** Where processing jobs' work directories and logs live: `<dataDir>/processing-jobs`. */
  readonly processingJobsDir: string;
  /** Where transform jobs' model servers, scratch files and logs live: `<dataDir>/transform-jobs`. */
  readonly transformJobsDir: string;
  /** Where endpoints' model-server instances keep their models and logs: `<dataDir>/endpoints`. */
  readonly endpointsDir: string;
  /** The variables job processes inherit from the server (PATH, HOME, LANG); nothing else leaks in. */
  readonly jobBaseEnv: Readonly<Record<string, string>>;
  /**
   * The cores and memory jobs may share (PLINTH_CPUS, PLINTH_MEMORY_MIB; by default the whole
   * machine). Each job asks for its instance type's share and waits its turn when it does not fit.
   */
  readonly capacity: { readonly cpus: number; readonly memoryMiB: number };
  /** How often each endpoint instance is asked GET /ping (PLINTH_PING_SECONDS, 5 by default). */
  readonly pingIntervalMs: number;
  /** How long a serverless instance stays up without requests (PLINTH_SERVERLESS_IDLE_SECONDS, 60). */
  readonly serverlessIdleMs: number;
  /**
   * How often the autoscaler evaluates scaling policies, and the window InvocationsPerInstance
   * is read over (PLINTH_AUTOSCALING_PERIOD_SECONDS; CloudWatch's one-minute metric by default).
   */
  readonly autoscalingPeriodSeconds: number;
  /**
   * Where asynchronous inference notifications go, by SNS topic ARN: Plinth has no SNS, so each
   * topic an AsyncInferenceConfig names is a webhook URL here (PLINTH_NOTIFICATION_WEBHOOKS,
   * `<topic-arn>=<url>,...`). A topic without one is logged and not notified.
   */
  readonly notificationWebhooks: Readonly<Record<string, string>>;
}

export const DEFAULT_PORT = 8766;
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_AUTOSCALING_PERIOD_SECONDS = 60;

/** What a job's process inherits from the server's environment. */
const JOB_INHERITED_VARIABLES = ['PATH', 'HOME', 'LANG'] as const;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** Overrides from command-line flags; they win over the environment. */
export type ConfigOverrides = Partial<
  Pick<Config, 'host' | 'port' | 'dataDir' | 'databaseUrl' | 'objectStoreUrl' | 'logLevel'>
>;

/** Thrown when the environment or flags describe a configuration Plinth cannot run with. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration from `env` (normally `process.env`) and flag overrides, fills the
 * documented defaults and validates. This is the only place that reads the environment.
 */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}): Config {
  const dataDir = resolvePath(overrides.dataDir ?? env.PLINTH_DATA_DIR ?? '.plinth');
  const accessKeys = parseAccessKeys(env);
  const host = overrides.host ?? env.PLINTH_HOST ?? '127.0.0.1';
  if (accessKeys.length === 0 && !LOOPBACK_HOSTS.has(host)) {
    throw new ConfigError(
      `PLINTH_HOST=${host} would expose an unauthenticated server: set PLINTH_ACCESS_KEY_ID and PLINTH_SECRET_ACCESS_KEY to require signed requests, or bind to 127.0.0.1.`,
    );
  }
  const config: Config = {
    host,
    port: overrides.port ?? parsePort(env.PLINTH_PORT),
    dataDir,
    databaseUrl:
      overrides.databaseUrl ?? env.PLINTH_DATABASE_URL ?? `sqlite:${resolve(dataDir, 'plinth.db')}`,
    objectStoreUrl:
      overrides.objectStoreUrl ??
      env.PLINTH_OBJECT_STORE ??
      pathToFileURL(resolve(dataDir, 'objects')).href,
    s3Endpoint: env.PLINTH_S3_ENDPOINT ?? '',
    region: env.PLINTH_REGION ?? env.AWS_REGION ?? DEFAULT_REGION,
    accountId: env.PLINTH_ACCOUNT_ID ?? DEFAULT_ACCOUNT_ID,
    accessKeys,
    logLevel: overrides.logLevel ?? parseLogLevel(env.PLINTH_LOG_LEVEL),
    jobsDir: resolve(dataDir, 'jobs'),
    processingJobsDir: resolve(dataDir, 'processing-jobs'),
    transformJobsDir: resolve(dataDir, 'transform-jobs'),
    endpointsDir: resolve(dataDir, 'endpoints'),
    jobBaseEnv: Object.fromEntries(
      JOB_INHERITED_VARIABLES.flatMap((name) =>
        env[name] === undefined ? [] : [[name, env[name]]],
      ),
    ),
    capacity: {
      cpus: parsePositive(env, { name: 'PLINTH_CPUS', fallback: availableParallelism() }),
      memoryMiB: parsePositive(env, {
        name: 'PLINTH_MEMORY_MIB',
        fallback: Math.floor(totalmem() / 1024 / 1024),
      }),
    },
    pingIntervalMs: parsePositive(env, { name: 'PLINTH_PING_SECONDS', fallback: 5 }) * 1000,
    serverlessIdleMs:
      parsePositive(env, { name: 'PLINTH_SERVERLESS_IDLE_SECONDS', fallback: 60 }) * 1000,
    autoscalingPeriodSeconds: parsePositive(env, {
      name: 'PLINTH_AUTOSCALING_PERIOD_SECONDS',
      fallback: DEFAULT_AUTOSCALING_PERIOD_SECONDS,
    }),
    notificationWebhooks: parseWebhooks(env.PLINTH_NOTIFICATION_WEBHOOKS),
  };
  validateUrls(config);
  if (!/^\d{12}$/.test(config.accountId)) {
    throw new ConfigError(`PLINTH_ACCOUNT_ID must be 12 digits, got '${config.accountId}'.`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(config.region)) {
    throw new ConfigError(
      `PLINTH_REGION must look like an AWS region (us-east-1), got '${config.region}'.`,
    );
  }
  return Object.freeze({
    ...config,
    accessKeys: Object.freeze([...accessKeys]),
    jobBaseEnv: Object.freeze({ ...config.jobBaseEnv }),
    capacity: Object.freeze({ ...config.capacity }),
    notificationWebhooks: Object.freeze({ ...config.notificationWebhooks }),
  });
}

/** True when the server may only listen on loopback because no keys are configured. */
export function isLoopbackOnly(config: Config): boolean {
  return config.accessKeys.length === 0;
}

function resolvePath(path: string): string {
  if (path === '~' || path.startsWith('~/')) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(path);
}

function parsePort(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PLINTH_PORT must be an integer from 0 to 65535, got '${text}'.`);
  }
  return port;
}

/** A positive integer setting, or its fallback when unset. */
function parsePositive(
  env: NodeJS.ProcessEnv,
  setting: { readonly name: string; readonly fallback: number },
): number {
  const text = env[setting.name];
  if (text === undefined || text === '') return setting.fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${setting.name} must be a whole number of at least 1, got '${text}'.`);
  }
  return value;
}

function parseLogLevel(text: string | undefined): LogLevel {
  if (text === undefined || text === '') return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(text)) {
    throw new ConfigError(
      `PLINTH_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${text}'.`,
    );
  }
  return text as LogLevel;
}

/**
 * PLINTH_ACCESS_KEY_ID + PLINTH_SECRET_ACCESS_KEY give one key pair; PLINTH_ACCESS_KEYS
 * (`id:secret,id2:secret2`) gives several.
 */
function parseAccessKeys(env: NodeJS.ProcessEnv): AccessKey[] {
  const keys: AccessKey[] = [];
  const id = env.PLINTH_ACCESS_KEY_ID;
  const secret = env.PLINTH_SECRET_ACCESS_KEY;
  if (id || secret) {
    if (!id || !secret) {
      throw new ConfigError(
        'Set both PLINTH_ACCESS_KEY_ID and PLINTH_SECRET_ACCESS_KEY, or neither.',
      );
    }
    keys.push({ accessKeyId: id, secretAccessKey: secret });
  }
  for (const pair of (env.PLINTH_ACCESS_KEYS ?? '').split(',').filter(Boolean)) {
    const colon = pair.indexOf(':');
    if (colon <= 0 || colon === pair.length - 1) {
      throw new ConfigError(
        'PLINTH_ACCESS_KEYS must be a comma-separated list of id:secret pairs.',
      );
    }
    keys.push({ accessKeyId: pair.slice(0, colon), secretAccessKey: pair.slice(colon + 1) });
  }
  return keys;
}

/** SNS's topic ARN, as AsyncInferenceNotificationConfig's pattern has it. */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]*:[0-9]{12}:[a-zA-Z0-9_.-]+$/;

/** PLINTH_NOTIFICATION_WEBHOOKS: `<topic-arn>=<http(s) url>` pairs, separated by commas. */
function parseWebhooks(text: string | undefined): Record<string, string> {
  const webhooks: Record<string, string> = {};
  const pairs = (text ?? '').split(',').map((p) => p.trim());
  for (const pair of pairs.filter(Boolean)) {
    const equals = pair.indexOf('=');
    const topic = pair.slice(0, Math.max(0, equals));
    const url = pair.slice(equals + 1);
    if (equals <= 0 || !TOPIC_ARN.test(topic) || !/^https?:\/\/[^\s]+$/.test(url)) {
      throw new ConfigError(
        `PLINTH_NOTIFICATION_WEBHOOKS must be comma-separated <sns-topic-arn>=<http(s) URL> pairs, such as arn:aws:sns:us-east-1:000000000000:done=http://127.0.0.1:9000/hook; '${pair}' is not one.`,
      );
    }
    webhooks[topic] = url;
  }
  return webhooks;
}

function validateUrls(config: Config): void {
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(config.databaseUrl)) {
    throw new ConfigError(
      `PLINTH_DATABASE_URL must start with sqlite: or postgres://, got '${config.databaseUrl}'.`,
    );
  }
  if (!/^(file|s3):\/\//.test(config.objectStoreUrl)) {
    throw new ConfigError(
      `PLINTH_OBJECT_STORE must start with file:// or s3://, got '${config.objectStoreUrl}'.`,
    );
  }
}
