import type { AddressInfo } from 'node:net';
import { openObjectStore } from './artifacts/open-object-store.js';
import { loadApiModel } from './api/api-model/api-model.js';
import { createSigV4Authenticator } from './api/auth/sigv4-authenticator.js';
import {
  AUTOSCALING_ERROR_NAMES,
  createAutoscalingHandlers,
} from './api/handlers/autoscaling-handlers.js';
import { createLogsHandlers, LOGS_ERROR_NAMES } from './api/handlers/logs-handlers.js';
import { createSageMakerHandlers } from './api/handlers/sagemaker-handlers.js';
import {
  JobLogService,
  PROCESSING_LOG_GROUP,
  TRAINING_LOG_GROUP,
  TRANSFORM_LOG_GROUP,
} from './services/logs/job-log-service.js';
import { EndpointFleet } from './services/endpoints/endpoint-fleet.js';
import { EndpointInvoker } from './services/endpoints/endpoint-invoker.js';
import { EndpointService } from './services/endpoints/endpoint-service.js';
import { CaptureWriter } from './services/data-capture/capture-writer.js';
import { AsyncInferenceService } from './services/async-inference/async-inference-service.js';
import { recordedCapacity } from './services/async-inference/endpoint-capacity.js';
import { WebhookNotifier } from './services/async-inference/webhook-notifier.js';
import { Autoscaler } from './services/autoscaling/autoscaler.js';
import { AutoscalingService } from './services/autoscaling/autoscaling-service.js';
import { endpointVariants } from './services/autoscaling/scalable-variants.js';
import { PrometheusEndpointMetrics } from './services/metrics/prometheus-endpoint-metrics.js';
import { ProcessingJobService } from './services/processing/processing-job-service.js';
import { ProcessingRunner } from './services/processing/processing-runner.js';
import { TransformJobService } from './services/transform/transform-job-service.js';
import { TransformRunner } from './services/transform/transform-runner.js';
import { createApp } from './api/server.js';
import { isLoopbackOnly, type Config } from './config/config.js';
import { systemClock, type Clock } from './core/clock.js';
import { randomIds, type IdGenerator } from './core/ids.js';
import { redactCredentials } from './core/redact.js';
import { createPinoLogger, type Logger } from './logging/logger.js';
import { EndpointConfigService } from './services/endpoint-configs/endpoint-config-service.js';
import { ModelService } from './services/models/model-service.js';
import type { ServiceContext } from './services/shared/resource-kind.js';
import { TagService } from './services/tags/tag-service.js';
import { TrainingJobService } from './services/training/training-job-service.js';
import { STOP_GRACE_MS, TrainingRunner } from './services/training/training-runner.js';
import { CapacityPool } from './compute/capacity/capacity-pool.js';
import { InstalledPrograms } from './compute/local/builtin-programs.js';
import { LocalExecutor } from './compute/local/local-executor.js';
import { prepareScriptMode } from './compute/script-mode/script-mode.js';
import { openMetadataStore } from './store/open-metadata-store.js';

/** A model server gets this long to finish its requests when its endpoint is deleted. */
const ENDPOINT_STOP_GRACE_MS = 10_000;

/** A Plinth server that is listening. */
export interface RunningPlinth {
  /** `http://host:port` of the front door. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, finishes those in flight and closes the stores. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly ids?: IdGenerator;
}

/**
 * The composition root: the only place that picks concrete adapters (metadata store, object
 * store, authenticator) from the configuration and wires services and protocols to them.
 */
export async function startPlinth(
  config: Config,
  options: StartOptions = {},
): Promise<RunningPlinth> {
  const logger = options.logger ?? createPinoLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;

  const store = await openMetadataStore(config.databaseUrl);
  try {
    const objectStore = await openObjectStore(config.objectStoreUrl, {
      s3Endpoint: config.s3Endpoint || undefined,
      region: config.region,
    });
    const ctx: ServiceContext = {
      store,
      clock,
      account: { region: config.region, accountId: config.accountId },
    };
    const executor = new LocalExecutor({ baseEnv: config.jobBaseEnv });
    const programs = new InstalledPrograms();
    const capacity = new CapacityPool(config.capacity);
    const runner = new TrainingRunner({
      ctx,
      executor,
      objectStore,
      programs,
      scripts: { prepare: (launch) => prepareScriptMode({ ...launch, store: objectStore }) },
      capacity,
      workRoot: config.jobsDir,
      logger: logger.child({ component: 'training' }),
    });
    const processing = new ProcessingRunner({
      ctx,
      executor,
      objectStore,
      capacity,
      workRoot: config.processingJobsDir,
      logger: logger.child({ component: 'processing' }),
      stopGraceMs: STOP_GRACE_MS,
    });
    const models = new ModelService(ctx);
    const endpointConfigs = new EndpointConfigService(ctx);
    const fleet = new EndpointFleet({
      ctx,
      executor,
      objectStore,
      programs,
      models,
      configs: endpointConfigs,
      workRoot: config.endpointsDir,
      logger: logger.child({ component: 'endpoints' }),
      stopGraceMs: ENDPOINT_STOP_GRACE_MS,
      pingIntervalMs: config.pingIntervalMs,
      serverlessIdleMs: config.serverlessIdleMs,
      onModelSetup: (sample) => metrics.recordModelSetup(sample),
    });
    const transform = new TransformRunner({
      ctx,
      executor,
      objectStore,
      programs,
      models,
      capacity,
      workRoot: config.transformJobsDir,
      logger: logger.child({ component: 'transform' }),
      stopGraceMs: ENDPOINT_STOP_GRACE_MS,
    });
    const settled =
      (await runner.reconcile()) +
      (await processing.reconcile()) +
      (await transform.reconcile()) +
      (await fleet.reconcile());
    if (settled > 0)
      logger.warn('Settled jobs left in flight by a previous run', { jobs: settled });
    fleet.watch();
    const endpoints = new EndpointService(ctx, { configs: endpointConfigs, fleet });
    const handlers = createSageMakerHandlers({
      models,
      endpointConfigs,
      tags: new TagService(ctx),
      trainingJobs: new TrainingJobService(ctx, runner),
      processingJobs: new ProcessingJobService(ctx, processing),
      transformJobs: new TransformJobService(ctx, { models, runner: transform }),
      endpoints,
    });
    const capture = new CaptureWriter({
      objectStore,
      clock,
      ids,
      logger: logger.child({ component: 'data-capture' }),
    });
    const invoker = new EndpointInvoker({
      router: fleet.router,
      capture: { settings: (endpoint) => fleet.captureSettings(endpoint), writer: capture },
      clock,
      ids,
      logger: logger.child({ component: 'runtime' }),
    });
    const asyncInference = new AsyncInferenceService({
      ctx,
      endpoints,
      capacity: recordedCapacity(endpoints.endpoints),
      objectStore,
      invoker,
      notifier: new WebhookNotifier({
        webhooks: new Map(Object.entries(config.notificationWebhooks)),
        clock,
        ids,
        logger: logger.child({ component: 'notifications' }),
      }),
      ids,
      logger: logger.child({ component: 'async-inference' }),
    });
    const requeued = await asyncInference.reconcile();
    if (requeued > 0)
      logger.warn('Took up asynchronous requests left in flight by a previous run', { requeued });
    const metrics = new PrometheusEndpointMetrics({
      instances: fleet,
      clock,
      windowSeconds: config.autoscalingPeriodSeconds,
      backlogs: asyncInference,
    });
    const variants = endpointVariants(endpoints);
    const autoscaling = new AutoscalingService(ctx, { variants, ids });
    const autoscaler = new Autoscaler({
      service: autoscaling,
      variants,
      metrics,
      clock,
      periodMs: config.autoscalingPeriodSeconds * 1000,
      logger: logger.child({ component: 'autoscaling' }),
    });
    const app = await createApp({
      jsonServices: [
        { targetPrefix: 'SageMaker', model: loadApiModel('sagemaker'), handlers },
        {
          targetPrefix: 'Logs_20140328',
          model: loadApiModel('logs'),
          handlers: createLogsHandlers(
            new JobLogService({
              [TRAINING_LOG_GROUP]: config.jobsDir,
              [PROCESSING_LOG_GROUP]: config.processingJobsDir,
              [TRANSFORM_LOG_GROUP]: config.transformJobsDir,
            }),
          ),
          errorNames: LOGS_ERROR_NAMES,
        },
        {
          targetPrefix: 'AnyScaleFrontendService',
          model: loadApiModel('application-autoscaling'),
          handlers: createAutoscalingHandlers(autoscaling),
          errorNames: AUTOSCALING_ERROR_NAMES,
        },
      ],
      objectStore,
      authenticator: createSigV4Authenticator({ keys: config.accessKeys, clock }),
      ids,
      logger,
      region: config.region,
      runtime: { invoker, account: ctx.account, asyncInference },
      metrics,
    });
    await app.listen({ host: config.host, port: config.port });
    autoscaler.start();
    asyncInference.start();
    const { port } = app.server.address() as AddressInfo;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    // The warning first: "ready" is the last line a starting server writes.
    if (isLoopbackOnly(config)) {
      logger.warn(
        'No access keys configured: request signatures are not checked, so Plinth listens on loopback only. Set PLINTH_ACCESS_KEY_ID and PLINTH_SECRET_ACCESS_KEY to require signed requests.',
      );
    }
    const optMl = await executor.contractRootSupport();
    if (!optMl.supported) {
      logger.warn(
        `Job programs will not see their work directory at /opt/ml: ${optMl.reason}; they find it in SM_* variables and PLINTH_ML_ROOT`,
      );
    }
    logger.info('Plinth is ready', {
      url,
      dataDir: config.dataDir,
      database: redactCredentials(config.databaseUrl),
      objects: config.objectStoreUrl,
    });
    return {
      url,
      port,
      close: async () => {
        await autoscaler.stop();
        await app.close();
        await asyncInference.close(ENDPOINT_STOP_GRACE_MS);
        await Promise.all([runner.close(), processing.close(), transform.close(), fleet.close()]);
        await capture.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
