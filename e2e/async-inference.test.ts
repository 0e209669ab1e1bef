import {
  ApplicationAutoScalingClient,
  DescribeScalingActivitiesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  DescribeEndpointCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointAsyncCommand,
  InvokeEndpointCommand,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, s3Client, sagemakerClient, TEST_KEYS } from './support/clients.js';
import {
  deployModel,
  inService,
  KMEANS_IMAGE,
  runtimeClient,
  trainKmeansModel,
} from './support/hosting.js';
import { startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';

const BUCKET = 'async-inference';
const ASYNC_ENDPOINT = 'km-async';
const REALTIME_ENDPOINT = 'km-realtime';
const OK_TOPIC = 'arn:aws:sns:us-east-1:000000000000:async-ok';
const FAILED_TOPIC = 'arn:aws:sns:us-east-1:000000000000:async-failed';
const TARGET = {
  ServiceNamespace: 'sagemaker' as const,
  ResourceId: `endpoint/${ASYNC_ENDPOINT}/variant/AllTraffic`,
  ScalableDimension: 'sagemaker:variant:DesiredInstanceCount' as const,
};

/** A notification as the webhook received it: SNS's envelope, and the message inside it. */
interface Notification {
  readonly path: string;
  readonly headers: Record<string, unknown>;
  readonly envelope: { Type: string; TopicArn: string; Message: string };
  readonly message: {
    invocationStatus: string;
    inferenceId: string;
    failureReason?: string;
    requestParameters: Record<string, string>;
    responseParameters?: Record<string, string>;
    responseBody?: { content: string; encoding: string };
  };
}

describe('asynchronous inference through InvokeEndpointAsync', () => {
  let dataDir: string;
  let plinth: PlinthProcess;
  let sm: SageMakerClient;
  let s3: S3Client;
  let runtime: SageMakerRuntimeClient;
  let webhook: Server;
  let hookUrl: string;
  const notifications: Notification[] = [];
  let env: NodeJS.ProcessEnv;

  function connect(server: PlinthProcess): void {
    plinth = server;
    sm = sagemakerClient(server.url);
    s3 = s3Client(server.url);
    runtime = runtimeClient(server.url);
  }

  async function put(key: string, body: string): Promise<string> {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    return `s3://${BUCKET}/${key}`;
  }

  function invokeAsync(input: string, extra: { inferenceId?: string } = {}) {
    return runtime.send(
      new InvokeEndpointAsyncCommand({
        EndpointName: ASYNC_ENDPOINT,
        InputLocation: input,
        ContentType: 'text/csv',
        Accept: 'application/json',
        ...(extra.inferenceId ? { InferenceId: extra.inferenceId } : {}),
      }),
    );
  }

  /** The object's text once it exists (polled; asynchronous results take a moment). */
  async function object(uri: string, timeoutMs = 20_000): Promise<string> {
    const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri)!;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await got.Body!.transformToString();
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`${uri} did not appear: ${String(error)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out; last seen ${JSON.stringify(value)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  function notified(inferenceId: string, timeoutMs = 10_000): Promise<Notification> {
    return until(
      async () => notifications.find((n) => n.message.inferenceId === inferenceId),
      (n) => n !== undefined,
      timeoutMs,
    ) as Promise<Notification>;
  }

  async function instances(): Promise<number | undefined> {
    const endpoint = await sm.send(new DescribeEndpointCommand({ EndpointName: ASYNC_ENDPOINT }));
    return endpoint.EndpointStatus === 'InService'
      ? endpoint.ProductionVariants![0]!.CurrentInstanceCount
      : undefined;
  }

  beforeAll(async () => {
    webhook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const envelope = JSON.parse(body) as Notification['envelope'];
        notifications.push({
          path: request.url ?? '',
          headers: request.headers,
          envelope,
          message: JSON.parse(envelope.Message) as Notification['message'],
        });
        response.end();
      });
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'plinth-async-'));
    env = {
      PLINTH_AUTOSCALING_PERIOD_SECONDS: '1',
      PLINTH_NOTIFICATION_WEBHOOKS: `${OK_TOPIC}=${hookUrl}/ok,${FAILED_TOPIC}=${hookUrl}/failed`,
    };
    connect(await startPlinthProcess({ env, dataDir }));
    const modelData = await trainKmeansModel({ sm, s3 }, BUCKET);
    await deployModel(sm, {
      model: 'km',
      image: KMEANS_IMAGE,
      modelData,
      config: 'km-realtime-config',
      variant: 'AllTraffic',
      instances: 1,
      endpoint: REALTIME_ENDPOINT,
    });
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: 'km-async-config',
        ProductionVariants: [
          {
            VariantName: 'AllTraffic',
            ModelName: 'km',
            InstanceType: 'ml.m5.large',
            InitialInstanceCount: 1,
          },
        ],
        AsyncInferenceConfig: {
          ClientConfig: { MaxConcurrentInvocationsPerInstance: 2 },
          OutputConfig: {
            S3OutputPath: `s3://${BUCKET}/async/out`,
            S3FailurePath: `s3://${BUCKET}/async/failed`,
            NotificationConfig: {
              SuccessTopic: OK_TOPIC,
              ErrorTopic: FAILED_TOPIC,
              IncludeInferenceResponseIn: ['SUCCESS_NOTIFICATION_TOPIC'],
            },
          },
        },
      }),
    );
    await sm.send(
      new CreateEndpointCommand({
        EndpointName: ASYNC_ENDPOINT,
        EndpointConfigName: 'km-async-config',
      }),
    );
    await inService(sm, ASYNC_ENDPOINT);
  }, 60_000);
  afterAll(async () => {
    await plinth?.stop();
    await new Promise((resolve) => webhook?.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('describes the AsyncInferenceConfig and refuses bad input with AWS-shaped errors', async () => {
    const endpoint = await sm.send(new DescribeEndpointCommand({ EndpointName: ASYNC_ENDPOINT }));
    expect(endpoint.AsyncInferenceConfig?.OutputConfig?.S3OutputPath).toBe(
      `s3://${BUCKET}/async/out`,
    );
    expect(endpoint.AsyncInferenceConfig?.ClientConfig?.MaxConcurrentInvocationsPerInstance).toBe(
      2,
    );
    const realtime = await sm.send(
      new DescribeEndpointCommand({ EndpointName: REALTIME_ENDPOINT }),
    );
    expect(realtime.AsyncInferenceConfig).toBeUndefined();

    const badConfig = await failure(
      sm.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: 'km-bad-async',
          ProductionVariants: [
            {
              VariantName: 'v',
              ModelName: 'km',
              InstanceType: 'ml.m5.large',
              InitialInstanceCount: 1,
            },
          ],
          AsyncInferenceConfig: { OutputConfig: { S3FailurePath: `s3://${BUCKET}/f` } },
        }),
      ),
    );
    expect(badConfig).toMatchObject({ name: 'ValidationException' });
    expect(badConfig.message).toMatch(/AsyncInferenceConfig.OutputConfig.S3OutputPath is required/);

    const input = await put('async/in/one.csv', '1,1\n');
    const notAsync = await failure(
      runtime.send(
        new InvokeEndpointAsyncCommand({ EndpointName: REALTIME_ENDPOINT, InputLocation: input }),
      ),
    );
    expect(notAsync).toMatchObject({ name: 'ValidationError' });
    expect(notAsync.message).toMatch(/km-realtime is not an asynchronous endpoint/);
    const missing = await failure(
      runtime.send(new InvokeEndpointAsyncCommand({ EndpointName: 'nope', InputLocation: input })),
    );
    expect(missing.message).toBe('Endpoint nope of account 000000000000 not found.');
    const ttl = await failure(
      runtime.send(
        new InvokeEndpointAsyncCommand({
          EndpointName: ASYNC_ENDPOINT,
          InputLocation: input,
          RequestTTLSeconds: 10,
        }),
      ),
    );
    expect(ttl).toMatchObject({ name: 'ValidationError' });
    expect(ttl.message).toMatch(/'requestTTLSeconds' .*greater than or equal to 60/);
    const https = await failure(invokeAsync('https://example.com/payload.csv'));
    expect(https.message).toMatch(/InputLocation .*s3:\/\/bucket\/key/);
  });

  it('writes the answer InvokeEndpoint would give to the output path and notifies the SuccessTopic', async () => {
    const input = await put('async/in/pair.csv', '0.1,0.2\n10.2,10.1\n');
    const accepted = await invokeAsync(input, { inferenceId: 'order-1' });
    expect(accepted.$metadata.httpStatusCode).toBe(202);
    expect(accepted.InferenceId).toBe('order-1');
    expect(accepted.OutputLocation).toMatch(
      new RegExp(`^s3://${BUCKET}/async/out/[0-9a-f-]{36}\\.out$`),
    );
    expect(accepted.FailureLocation).toMatch(
      new RegExp(`^s3://${BUCKET}/async/failed/[0-9a-f-]{36}-error\\.out$`),
    );
    const answer = await object(accepted.OutputLocation!);
    const direct = await runtime.send(
      new InvokeEndpointCommand({
        EndpointName: REALTIME_ENDPOINT,
        ContentType: 'text/csv',
        Accept: 'application/json',
        Body: new TextEncoder().encode('0.1,0.2\n10.2,10.1\n'),
      }),
    );
    expect(answer).toBe(new TextDecoder().decode(direct.Body));

    const note = await notified('order-1');
    expect(note.path).toBe('/ok');
    expect(note.headers['x-amz-sns-message-type']).toBe('Notification');
    expect(note.envelope).toMatchObject({ Type: 'Notification', TopicArn: OK_TOPIC });
    expect(note.message).toMatchObject({
      invocationStatus: 'Completed',
      requestParameters: {
        accept: 'application/json',
        contentType: 'text/csv',
        endpointName: ASYNC_ENDPOINT,
        inputLocation: input,
      },
      responseParameters: { outputLocation: accepted.OutputLocation },
      responseBody: { encoding: 'BASE64' },
    });
    expect(Buffer.from(note.message.responseBody!.content, 'base64').toString()).toBe(answer);
  });

  it("writes a bad payload's failure to the failure path and notifies the ErrorTopic", async () => {
    const input = await put('async/in/bad.csv', 'not,numbers\n');
    const accepted = await invokeAsync(input, { inferenceId: 'order-bad' });
    const failed = await object(accepted.FailureLocation!);
    expect(failed.length).toBeGreaterThan(0);
    const note = await notified('order-bad');
    expect(note.path).toBe('/failed');
    expect(note.envelope.TopicArn).toBe(FAILED_TOPIC);
    expect(note.message.invocationStatus).toBe('Failed');
    expect(note.message.failureReason).toMatch(/^ClientError: Received client error \(400\)/);
    expect(note.message.responseParameters?.failureLocation).toBe(accepted.FailureLocation);
    // The error answer is not included: only SUCCESS_NOTIFICATION_TOPIC asked for it.
    expect(note.message.responseBody).toBeUndefined();
    const outputs = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'async/out/' }),
    );
    expect((outputs.Contents ?? []).map((o) => o.Key)).not.toContain(
      accepted.OutputLocation!.replace(`s3://${BUCKET}/`, ''),
    );
  });

  it('loses no accepted request to a SIGKILL and completes each exactly once after the restart', async () => {
    const N = 50;
    const input = await put('async/in/restart.csv', '1,1\n');
    const accepted = [];
    for (let i = 0; i < N; i++) accepted.push(await invokeAsync(input, { inferenceId: `r-${i}` }));
    const firstLogs = plinth.logs;
    plinth.child.kill('SIGKILL');
    await new Promise((r) => plinth.child.once('exit', r));
    const killedAt = Date.now();
    connect(await startPlinthProcess({ env, dataDir }));

    const expected = (await object(accepted[0]!.OutputLocation!, 30_000)) || '';
    for (const a of accepted) expect(await object(a.OutputLocation!, 30_000)).toBe(expected);
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'async/out/', MaxKeys: 1000 }),
    );
    const outputs = new Map((listed.Contents ?? []).map((o) => [o.Key!, o.LastModified!]));
    const keys = accepted.map((a) => a.OutputLocation!.replace(`s3://${BUCKET}/`, ''));
    expect(new Set(keys).size).toBe(N);
    for (const key of keys) expect(outputs.has(key)).toBe(true);

    // Each request was completed by exactly one run: once by the first server, or recovered
    // (its answer already written) or completed by the second.
    const completions = (logs: string[], msg: string) =>
      logs
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: string; inferenceId?: string })
        .filter((entry) => entry.msg === msg)
        .map((entry) => entry.inferenceId);
    const before = completions(firstLogs, 'Asynchronous inference completed');
    const after = [
      ...completions(plinth.logs, 'Asynchronous inference completed'),
      ...completions(plinth.logs, 'Asynchronous inference had completed before the restart'),
    ];
    // The kill came mid-way: the second server had requests left to take up.
    expect(before.filter((id) => id?.startsWith('r-')).length).toBeLessThan(N);
    for (const [i, a] of accepted.entries()) {
      const runs = [...before, ...after].filter((id) => id === `r-${i}`);
      expect(runs.length, `r-${i}`).toBeLessThanOrEqual(1);
      // A request the first server recorded finished just before the kill, without the time to
      // log it, is neither run nor logged by the second: its answer was written before the kill.
      if (runs.length === 0) {
        const key = a.OutputLocation!.replace(`s3://${BUCKET}/`, '');
        expect(outputs.get(key)!.getTime(), `r-${i}`).toBeLessThanOrEqual(killedAt);
      }
    }
    // What the first server finished was not written again by the second.
    for (const [i, a] of accepted.entries()) {
      if (!before.includes(`r-${i}`)) continue;
      const key = a.OutputLocation!.replace(`s3://${BUCKET}/`, '');
      expect(outputs.get(key)!.getTime()).toBeLessThanOrEqual(killedAt);
    }
    // Every request's SuccessTopic heard of it (at least once: a kill between delivering a
    // notification and recording it sent means it is sent again).
    for (let i = 0; i < N; i++) await notified(`r-${i}`, 10_000);
  }, 60_000);

  it('scales the variant to zero when idle and back when a request waits', async () => {
    const aas = new ApplicationAutoScalingClient({
      endpoint: plinth.url,
      region: 'us-east-1',
      credentials: TEST_KEYS,
      maxAttempts: 1,
    });
    await until(instances, (n) => n === 1, 30_000);
    await aas.send(
      new RegisterScalableTargetCommand({ ...TARGET, MinCapacity: 0, MaxCapacity: 2 }),
    );
    await aas.send(
      new PutScalingPolicyCommand({
        ...TARGET,
        PolicyName: 'Invocations-ScalingPolicy',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 5,
          CustomizedMetricSpecification: {
            MetricName: 'ApproximateBacklogSizePerInstance',
            Namespace: 'AWS/SageMaker',
            Dimensions: [{ Name: 'EndpointName', Value: ASYNC_ENDPOINT }],
            Statistic: 'Average',
          },
          ScaleInCooldown: 0,
          ScaleOutCooldown: 0,
        },
      }),
    );
    await aas.send(
      new PutScalingPolicyCommand({
        ...TARGET,
        PolicyName: 'HasBacklogWithoutCapacity-ScalingPolicy',
        PolicyType: 'StepScaling',
        StepScalingPolicyConfiguration: {
          AdjustmentType: 'ChangeInCapacity',
          MetricAggregationType: 'Average',
          Cooldown: 300,
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
        },
      }),
    );
    await until(instances, (n) => n === 0, 20_000);

    const input = await put('async/in/wake.csv', '10,10\n');
    const accepted = await invokeAsync(input, { inferenceId: 'wake-up' });
    const metrics = await (await fetch(`${plinth.url}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`\\nApproximateBacklogSize\\{EndpointName="${ASYNC_ENDPOINT}"\\} 1\\n`),
    );
    expect(metrics).toMatch(
      new RegExp(`\\nHasBacklogWithoutCapacity\\{EndpointName="${ASYNC_ENDPOINT}"\\} 1\\n`),
    );
    expect(metrics).toMatch(
      new RegExp(`\\nApproximateAgeOfOldestRequest\\{EndpointName="${ASYNC_ENDPOINT}"\\} `),
    );

    expect(JSON.parse(await object(accepted.OutputLocation!, 30_000))).toMatchObject({
      predictions: [{ closest_cluster: expect.any(Number) }],
    });
    const { ScalingActivities } = await aas.send(
      new DescribeScalingActivitiesCommand({
        ServiceNamespace: 'sagemaker',
        ResourceId: TARGET.ResourceId,
      }),
    );
    expect(ScalingActivities!.map((a) => a.Description)).toEqual(
      expect.arrayContaining([
        'Setting desired instance count to 0.',
        'Setting desired instance count to 1.',
      ]),
    );
    expect(ScalingActivities!.find((a) => a.Description?.endsWith('to 1.'))?.Cause).toMatch(
      /HasBacklogWithoutCapacity.* in state ALARM triggered policy HasBacklogWithoutCapacity-ScalingPolicy$/,
    );
  }, 60_000);
});
