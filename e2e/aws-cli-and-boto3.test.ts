import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEYS } from './support/clients.js';
import { startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';
import { DEBIAN_PYTHON, hasPython } from './support/python.js';

const hasAwsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
const hasBoto3 = hasPython('boto3');
// CI installs both (.ci/run); a developer machine without them skips these, saying so.
const requireTools = Boolean(process.env.CI);

const CLIENT_ENV = {
  AWS_ACCESS_KEY_ID: TEST_KEYS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_KEYS.secretAccessKey,
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_REGION: 'us-east-1',
  AWS_PAGER: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

describe('clients nobody here wrote', () => {
  let plinth: PlinthProcess;
  let work: string;

  beforeAll(async () => {
    plinth = await startPlinthProcess({
      env: {
        PLINTH_ACCESS_KEY_ID: TEST_KEYS.accessKeyId,
        PLINTH_SECRET_ACCESS_KEY: TEST_KEYS.secretAccessKey,
      },
    });
    work = mkdtempSync(join(tmpdir(), 'plinth-awscli-'));
  });
  afterAll(async () => {
    await plinth?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  function aws(args: readonly string[]) {
    const result = spawnSync('aws', ['--endpoint-url', plinth.url, '--output', 'json', ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...CLIENT_ENV },
      timeout: 60_000,
    });
    return result;
  }

  it('tools are present in CI', () => {
    if (requireTools) expect({ hasAwsCli, hasBoto3 }).toEqual({ hasAwsCli: true, hasBoto3: true });
  });

  it.skipIf(!hasAwsCli)('AWS CLI: sagemaker create/list/describe models and errors', () => {
    const created = aws([
      'sagemaker',
      'create-model',
      '--model-name',
      'cli-model',
      '--primary-container',
      'Image=plinth/kmeans:1',
    ]);
    expect(created.status, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout).ModelArn).toBe(
      'arn:aws:sagemaker:us-east-1:000000000000:model/cli-model',
    );
    const listed = JSON.parse(aws(['sagemaker', 'list-models']).stdout) as {
      Models: { ModelName: string }[];
    };
    expect(listed.Models.map((m) => m.ModelName)).toContain('cli-model');
    const described = JSON.parse(
      aws(['sagemaker', 'describe-model', '--model-name', 'cli-model']).stdout,
    );
    expect(described.PrimaryContainer.Image).toBe('plinth/kmeans:1');
    const missing = aws(['sagemaker', 'describe-model', '--model-name', 'absent']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('ValidationException');
  });

  it.skipIf(!hasAwsCli)('AWS CLI: s3 mb, cp (multipart), ls, sync and cp back', () => {
    const big = join(work, 'big.bin');
    writeFileSync(big, randomBytes(20 * 1024 * 1024));
    expect(aws(['s3', 'mb', 's3://cli-bucket']).status).toBe(0);
    const up = aws(['s3', 'cp', big, 's3://cli-bucket/data/big.bin']);
    expect(up.status, up.stderr).toBe(0);
    const listing = aws(['s3', 'ls', 's3://cli-bucket/data/']);
    expect(listing.stdout).toMatch(/20971520 big\.bin/);
    const back = join(work, 'back.bin');
    expect(aws(['s3', 'cp', 's3://cli-bucket/data/big.bin', back]).status).toBe(0);
    expect(readFileSync(back).equals(readFileSync(big))).toBe(true);

    const folder = join(work, 'folder');
    spawnSync('mkdir', ['-p', join(folder, 'nested')]);
    writeFileSync(join(folder, 'a.csv'), '1,2\n');
    writeFileSync(join(folder, 'nested', 'b.csv'), '3,4\n');
    const sync = aws(['s3', 'sync', folder, 's3://cli-bucket/synced']);
    expect(sync.status, sync.stderr).toBe(0);
    const synced = aws(['s3', 'ls', '--recursive', 's3://cli-bucket/synced/']).stdout;
    expect(synced).toContain('synced/a.csv');
    expect(synced).toContain('synced/nested/b.csv');
  });

  it.skipIf(!hasBoto3 || !hasAwsCli)(
    'boto3 trains k-means and waits for it; boto3 and the AWS CLI read its log',
    () => {
      const script = `
import boto3, sys
url = sys.argv[1]
s3 = boto3.client("s3", endpoint_url=url)
sm = boto3.client("sagemaker", endpoint_url=url)
s3.create_bucket(Bucket="train-bucket")
s3.put_object(Bucket="train-bucket", Key="train/train.csv", Body="\\n".join(f"{i % 3 * 10 + i % 7 / 10},{i % 3 * 10 + i % 5 / 10}" for i in range(300)) + "\\n")
sm.create_training_job(
    TrainingJobName="boto-kmeans", RoleArn="arn:aws:iam::000000000000:role/SageMakerRole",
    AlgorithmSpecification={"TrainingImage": "382416733822.dkr.ecr.us-east-1.amazonaws.com/kmeans:1", "TrainingInputMode": "File"},
    HyperParameters={"k": "3", "feature_dim": "2"},
    InputDataConfig=[{"ChannelName": "train", "ContentType": "text/csv;label_size=0",
                      "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://train-bucket/train"}}}],
    OutputDataConfig={"S3OutputPath": "s3://train-bucket/output"},
    ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
    StoppingCondition={"MaxRuntimeInSeconds": 3600})
sm.get_waiter("training_job_completed_or_stopped").wait(TrainingJobName="boto-kmeans", WaiterConfig={"Delay": 1})
job = sm.describe_training_job(TrainingJobName="boto-kmeans")
assert job["TrainingJobStatus"] == "Completed", job
logs = boto3.client("logs", endpoint_url=url)
stream = logs.describe_log_streams(logGroupName="/aws/sagemaker/TrainingJobs", logStreamNamePrefix="boto-kmeans")["logStreams"][0]["logStreamName"]
events = logs.get_log_events(logGroupName="/aws/sagemaker/TrainingJobs", logStreamName=stream, startFromHead=True)["events"]
assert any("centers" in e["message"] for e in events), events
print(stream)
`;
      const result = spawnSync(DEBIAN_PYTHON, ['-c', script, plinth.url], {
        encoding: 'utf8',
        env: { ...process.env, ...CLIENT_ENV },
        timeout: 90_000,
      });
      expect(result.status, result.stderr).toBe(0);
      const stream = result.stdout.trim();
      expect(stream).toMatch(/^boto-kmeans\/algo-1-\d+$/);
      const events = aws([
        'logs',
        'get-log-events',
        '--log-group-name',
        '/aws/sagemaker/TrainingJobs',
        '--log-stream-name',
        stream,
        '--start-from-head',
      ]);
      expect(events.status, events.stderr).toBe(0);
      expect((JSON.parse(events.stdout) as { events: unknown[] }).events.length).toBeGreaterThan(0);
    },
  );

  it.skipIf(!hasBoto3 || !hasAwsCli)(
    'boto3 hosts the k-means model trained above as the README shows, and invokes it',
    () => {
      const script = `
import boto3, json, sys
url = sys.argv[1]
sm = boto3.client("sagemaker", endpoint_url=url)
sm.create_model(ModelName="boto-km", ExecutionRoleArn="arn:aws:iam::000000000000:role/SageMakerRole",
                PrimaryContainer={"Image": "kmeans", "ModelDataUrl": "s3://train-bucket/output/boto-kmeans/output/model.tar.gz"})
sm.create_endpoint_config(EndpointConfigName="boto-km", ProductionVariants=[
    {"VariantName": "AllTraffic", "ModelName": "boto-km", "InitialInstanceCount": 2, "InstanceType": "ml.m5.large"}])
sm.create_endpoint(EndpointName="boto-km", EndpointConfigName="boto-km")
sm.get_waiter("endpoint_in_service").wait(EndpointName="boto-km", WaiterConfig={"Delay": 1})
rt = boto3.client("sagemaker-runtime", endpoint_url=url)
answer = rt.invoke_endpoint(EndpointName="boto-km", ContentType="text/csv", Body="1.5,2.5")
assert answer["InvokedProductionVariant"] == "AllTraffic", answer
print(json.dumps(json.loads(answer["Body"].read())))
sm.delete_endpoint(EndpointName="boto-km")
`;
      const result = spawnSync(DEBIAN_PYTHON, ['-c', script, plinth.url], {
        encoding: 'utf8',
        env: { ...process.env, ...CLIENT_ENV },
        timeout: 90_000,
      });
      expect(result.status, result.stderr).toBe(0);
      const { predictions } = JSON.parse(result.stdout) as { predictions: unknown[] };
      expect(predictions).toEqual([
        { closest_cluster: expect.any(Number), distance_to_cluster: expect.any(Number) },
      ]);
    },
  );

  it.skipIf(!hasBoto3)(
    "boto3 runs the README's processing job and its waiter sees it complete",
    () => {
      const script = `
import boto3, sys
url = sys.argv[1]
s3 = boto3.client("s3", endpoint_url=url)
sm = boto3.client("sagemaker", endpoint_url=url)
s3.create_bucket(Bucket="data")
s3.put_object(Bucket="data", Key="code/prep.py", Body='''
rows = open("/opt/ml/processing/input/raw/raw.csv").read().split()
open("/opt/ml/processing/output/train/train.csv", "w").write(" ".join(rows))
''')
s3.put_object(Bucket="data", Key="raw/raw.csv", Body="1,2 3,4")
sm.create_processing_job(
    ProcessingJobName="prep-1", RoleArn="arn:aws:iam::000000000000:role/SageMakerRole",
    AppSpecification={"ImageUri": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
                      "ContainerEntrypoint": ["python3", "/opt/ml/processing/input/code/prep.py"]},
    ProcessingInputs=[
        {"InputName": "code", "S3Input": {"S3Uri": "s3://data/code/prep.py", "LocalPath": "/opt/ml/processing/input/code",
                                          "S3DataType": "S3Prefix", "S3InputMode": "File"}},
        {"InputName": "raw", "S3Input": {"S3Uri": "s3://data/raw", "LocalPath": "/opt/ml/processing/input/raw",
                                         "S3DataType": "S3Prefix", "S3InputMode": "File"}}],
    ProcessingOutputConfig={"Outputs": [{"OutputName": "train", "S3Output": {
        "S3Uri": "s3://data/train", "LocalPath": "/opt/ml/processing/output/train", "S3UploadMode": "EndOfJob"}}]},
    ProcessingResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 1}})
sm.get_waiter("processing_job_completed_or_stopped").wait(ProcessingJobName="prep-1", WaiterConfig={"Delay": 1})
job = sm.describe_processing_job(ProcessingJobName="prep-1")
assert job["ProcessingJobStatus"] == "Completed", job
print(s3.get_object(Bucket="data", Key="train/train.csv")["Body"].read().decode(), end="")
`;
      const result = spawnSync(DEBIAN_PYTHON, ['-c', script, plinth.url], {
        encoding: 'utf8',
        env: { ...process.env, ...CLIENT_ENV },
        timeout: 90_000,
      });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toBe('1,2 3,4');
    },
  );

  it.skipIf(!hasBoto3)('boto3: models and a multipart upload_file', () => {
    const script = `
import boto3, os, sys
from boto3.s3.transfer import TransferConfig
url = sys.argv[1]
sm = boto3.client("sagemaker", endpoint_url=url)
sm.create_model(ModelName="boto-model", PrimaryContainer={"Image": "plinth/xgboost:1"}, ExecutionRoleArn="arn:aws:iam::000000000000:role/SageMakerRole")
names = [m["ModelName"] for m in sm.get_paginator("list_models").paginate().build_full_result()["Models"]]
assert "boto-model" in names, names
try:
    sm.describe_model(ModelName="ghost")
    raise SystemExit("describe of a missing model succeeded")
except sm.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "ValidationException", e.response
s3 = boto3.client("s3", endpoint_url=url, config=boto3.session.Config(s3={"addressing_style": "path"}))
s3.create_bucket(Bucket="boto-bucket")
path = os.path.join(sys.argv[2], "ten.bin")
with open(path, "wb") as f:
    f.write(os.urandom(10 * 1024 * 1024))
s3.upload_file(path, "boto-bucket", "ten.bin", Config=TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024))
body = s3.get_object(Bucket="boto-bucket", Key="ten.bin")["Body"].read()
assert body == open(path, "rb").read()
keys = [o["Key"] for o in s3.list_objects_v2(Bucket="boto-bucket")["Contents"]]
assert keys == ["ten.bin"], keys
print("ok")
`;
    const result = spawnSync(DEBIAN_PYTHON, ['-c', script, plinth.url, work], {
      encoding: 'utf8',
      env: { ...process.env, ...CLIENT_ENV },
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('ok');
  });
});
