import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  type DescribeEndpointCommandOutput,
  type ContainerDefinition,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointCommand,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import { linearOnnxModel } from '@plinth/algorithms/testing/onnx-models';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client, sagemakerClient } from './support/clients.js';
import { inService, ROLE, runtimeClient } from './support/hosting.js';
import { startPlinthProcess, type PlinthProcess } from './support/plinth-process.js';
import { sourceTarball } from './support/training.js';

const BUCKET = 'model-servers';
const SKLEARN_IMAGE =
  '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const PYTORCH_IMAGE =
  '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.1-cpu-py310';

/** A user's Node.js model server: sums each CSV row; reads a file relative to its folder. */
const NODE_SERVER = `
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
const scale = JSON.parse(readFileSync('config.json', 'utf8')).scale;
createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/ping') return res.writeHead(200).end();
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const rows = body.trim().split('\\n').map((line) => line.split(',').map(Number));
    if (rows.flat().some(Number.isNaN)) return res.writeHead(400).end('numbers only, please');
    const sums = rows.map((row) => scale * row.reduce((a, b) => a + b, 0));
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ sums }));
  });
}).listen(Number(process.env.SAGEMAKER_BIND_TO_PORT));
`;

/** A pipeline's first container: scales every CSV value by 10, answers CSV. */
const SCALER_SERVER = `
import { createServer } from 'node:http';
createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/ping') return res.writeHead(200).end();
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    const rows = body.trim().split('\\n').map((line) => line.split(',').map(Number));
    if (rows.flat().some(Number.isNaN)) return res.writeHead(400).end('scaler: numbers only');
    const csv = rows.map((row) => row.map((v) => v * 10).join(',')).join('\\n') + '\\n';
    res.writeHead(200, { 'Content-Type': 'text/csv' }).end(csv);
  });
}).listen(Number(process.env.SAGEMAKER_BIND_TO_PORT));
`;

/** A user's Python model server (stdlib only): dot products with weights from the model. */
const PYTHON_SERVER = `
import json, os
from http.server import BaseHTTPRequestHandler, HTTPServer

with open(os.path.join(os.environ['SM_MODEL_DIR'], 'weights.json')) as f:
    WEIGHTS = json.load(f)['w']
with open('greeting.txt') as f:  # beside this script: the server runs in its code folder
    GREETING = f.read().strip()

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == '/ping' else 404)
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0))).decode()
        rows = [[float(v) for v in line.split(',')] for line in body.strip().splitlines()]
        out = json.dumps({'scores': [sum(a * b for a, b in zip(r, WEIGHTS)) for r in rows],
                          'greeting': GREETING}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass

HTTPServer(('0.0.0.0', int(os.environ['SAGEMAKER_BIND_TO_PORT'])), Handler).serve_forever()
`;

describe('endpoints serving ONNX models and user-written model servers', () => {
  let plinth: PlinthProcess;
  let sm: SageMakerClient;
  let s3: S3Client;
  let runtime: SageMakerRuntimeClient;
  let dir: string;

  /** Uploads a tarball of the files; returns its s3:// URI. */
  async function upload(key: string, files: Record<string, string | Uint8Array>): Promise<string> {
    const body = sourceTarball(dir, files);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    return `s3://${BUCKET}/${key}`;
  }

  /** CreateModel, CreateEndpointConfig (one variant, `main`) and CreateEndpoint, all named `name`. */
  async function deploy(name: string, container: ContainerDefinition): Promise<void> {
    await sm.send(
      new CreateModelCommand({
        ModelName: name,
        ExecutionRoleArn: ROLE,
        PrimaryContainer: container,
      }),
    );
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: name,
        ProductionVariants: [
          {
            VariantName: 'main',
            ModelName: name,
            InitialInstanceCount: 1,
            InstanceType: 'ml.m5.large',
          },
        ],
      }),
    );
    await sm.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
  }

  async function deployInService(name: string, container: ContainerDefinition): Promise<void> {
    await deploy(name, container);
    await inService(sm, name);
  }

  /** Polls DescribeEndpoint until it leaves Creating. */
  async function settled(name: string): Promise<DescribeEndpointCommandOutput> {
    for (let i = 0; i < 200; i++) {
      const described = await sm.send(new DescribeEndpointCommand({ EndpointName: name }));
      if (described.EndpointStatus !== 'Creating') return described;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${name} stayed Creating`);
  }

  async function invoke(
    endpoint: string,
    request: { body: string; contentType: string; accept?: string },
  ): Promise<string> {
    const answer = await runtime.send(
      new InvokeEndpointCommand({
        EndpointName: endpoint,
        ContentType: request.contentType,
        Accept: request.accept ?? 'application/json',
        Body: new TextEncoder().encode(request.body),
      }),
    );
    return new TextDecoder().decode(answer.Body);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plinth-e2e-servers-'));
    plinth = await startPlinthProcess();
    sm = sagemakerClient(plinth.url);
    s3 = s3Client(plinth.url);
    runtime = runtimeClient(plinth.url);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterAll(async () => {
    await plinth?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves an ONNX model from model.tar.gz, in CSV and JSON', async () => {
    // y = 2a + 3b + 1
    const modelData = await upload('onnx/model.tar.gz', {
      'model.onnx': linearOnnxModel([2, 3], 1),
    });
    await deployInService('onnx', { Image: 'plinth/onnx', ModelDataUrl: modelData });
    const csv = await invoke('onnx', { body: '1,1\n0,0\n0.5,-1\n', contentType: 'text/csv' });
    expect(JSON.parse(csv)).toEqual({ predictions: [[6], [1], [-1]] });
    const json = await invoke('onnx', {
      body: JSON.stringify({
        instances: [
          [1, 2],
          [10, 0],
        ],
      }),
      contentType: 'application/json',
      accept: 'text/csv',
    });
    expect(json).toBe('9\n21\n');
    await expect(
      invoke('onnx', { body: '[[1, 2, 3]]', contentType: 'application/json' }),
    ).rejects.toMatchObject({
      name: 'ModelError',
      OriginalStatusCode: 400,
      OriginalMessage: "Input 'x' takes shape [n, 2]; the request gives shape [1, 3].",
    });
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'onnx' }));
  });

  it('runs a Node.js model server from sourcedir.tar.gz, without a model.tar.gz', async () => {
    const code = await upload('node/sourcedir.tar.gz', {
      'serve.mjs': NODE_SERVER,
      'config.json': '{"scale": 10}',
    });
    await deployInService('node-server', {
      Image: 'plinth/node:20',
      Environment: { SAGEMAKER_PROGRAM: 'serve.mjs', SAGEMAKER_SUBMIT_DIRECTORY: code },
    });
    const answer = await invoke('node-server', { body: '1,2\n3,4\n', contentType: 'text/csv' });
    expect(JSON.parse(answer)).toEqual({ sums: [30, 70] });
    // The server's own status reaches the caller as ModelError.
    await expect(
      invoke('node-server', { body: 'a,b\n', contentType: 'text/csv' }),
    ).rejects.toMatchObject({
      name: 'ModelError',
      OriginalStatusCode: 400,
      OriginalMessage: 'numbers only, please',
    });
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'node-server' }));
  });

  it('runs a Python model server from a framework image, with its model', async () => {
    const code = await upload('python/sourcedir.tar.gz', {
      'serve.py': PYTHON_SERVER,
      'greeting.txt': 'from s3',
    });
    const modelData = await upload('python/model.tar.gz', { 'weights.json': '{"w": [1, 2]}' });
    await deployInService('py-server', {
      Image: SKLEARN_IMAGE,
      ModelDataUrl: modelData,
      Environment: { SAGEMAKER_PROGRAM: 'serve.py', SAGEMAKER_SUBMIT_DIRECTORY: code },
    });
    const answer = await invoke('py-server', { body: '1,1\n2,0.5\n', contentType: 'text/csv' });
    expect(JSON.parse(answer)).toEqual({ scores: [3, 3], greeting: 'from s3' });
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'py-server' }));
  });

  it('runs server code packed inside model.tar.gz (SAGEMAKER_SUBMIT_DIRECTORY=/opt/ml/model/code)', async () => {
    const modelData = await upload('packed/model.tar.gz', {
      'weights.json': '{"w": [3, -1]}',
      'code/inference.py': PYTHON_SERVER,
      'code/greeting.txt': 'packed',
    });
    await deployInService('packed', {
      Image: PYTORCH_IMAGE,
      ModelDataUrl: modelData,
      Environment: {
        SAGEMAKER_PROGRAM: 'inference.py',
        SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code',
      },
    });
    const answer = await invoke('packed', { body: '1,1\n', contentType: 'text/csv' });
    expect(JSON.parse(answer)).toEqual({ scores: [2], greeting: 'packed' });
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'packed' }));
  });

  it('runs a serial inference pipeline, and containers invoked directly', async () => {
    const code = await upload('pipeline/sourcedir.tar.gz', { 'serve.mjs': SCALER_SERVER });
    // y = 2a + 3b + 1
    const onnx = await upload('pipeline/model.tar.gz', {
      'model.onnx': linearOnnxModel([2, 3], 1),
    });
    const containers: ContainerDefinition[] = [
      {
        ContainerHostname: 'scale',
        Image: 'plinth/node',
        Environment: { SAGEMAKER_PROGRAM: 'serve.mjs', SAGEMAKER_SUBMIT_DIRECTORY: code },
      },
      { ContainerHostname: 'predict', Image: 'plinth/onnx', ModelDataUrl: onnx },
    ];
    for (const mode of ['Serial', 'Direct'] as const) {
      const name = `pipeline-${mode.toLowerCase()}`;
      await sm.send(
        new CreateModelCommand({
          ModelName: name,
          ExecutionRoleArn: ROLE,
          Containers: containers,
          InferenceExecutionConfig: { Mode: mode },
        }),
      );
      await sm.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: name,
          ProductionVariants: [
            {
              VariantName: 'main',
              ModelName: name,
              InitialInstanceCount: 1,
              InstanceType: 'ml.m5.large',
            },
          ],
        }),
      );
      await sm.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
      await inService(sm, name);
    }
    const described = await sm.send(
      new DescribeEndpointCommand({ EndpointName: 'pipeline-serial' }),
    );
    expect(described.ProductionVariants![0]!.DeployedImages!.map((i) => i.SpecifiedImage)).toEqual([
      'plinth/node',
      'plinth/onnx',
    ]);

    // (1,1) -> scale -> (10,10) -> predict -> 2*10 + 3*10 + 1.
    const serial = await invoke('pipeline-serial', { body: '1,1\n0,1\n', contentType: 'text/csv' });
    expect(JSON.parse(serial)).toEqual({ predictions: [[51], [31]] });
    await expect(
      invoke('pipeline-serial', { body: 'x,y\n', contentType: 'text/csv' }),
    ).rejects.toMatchObject({
      name: 'ModelError',
      OriginalStatusCode: 400,
      message: expect.stringContaining('from scale with message "scaler: numbers only"'),
    });

    const direct = await runtime.send(
      new InvokeEndpointCommand({
        EndpointName: 'pipeline-direct',
        ContentType: 'text/csv',
        Accept: 'application/json',
        TargetContainerHostname: 'predict',
        Body: new TextEncoder().encode('1,1\n'),
      }),
    );
    expect(JSON.parse(new TextDecoder().decode(direct.Body))).toEqual({ predictions: [[6]] });
    await expect(
      invoke('pipeline-direct', { body: '1,1\n', contentType: 'text/csv' }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('set TargetContainerHostname to one of scale, predict'),
    });
    for (const name of ['pipeline-serial', 'pipeline-direct']) {
      await sm.send(new DeleteEndpointCommand({ EndpointName: name }));
    }
  });

  it('ends Failed, naming the variant, the model and what to do, when it cannot serve', async () => {
    const code = await upload('missing/sourcedir.tar.gz', { 'serve.py': PYTHON_SERVER });
    await deploy('custom-image', { Image: 'registry.example.com/custom-server:1' });
    await deploy('no-program', { Image: SKLEARN_IMAGE, Environment: {} });
    await deploy('wrong-program', {
      Image: SKLEARN_IMAGE,
      Environment: { SAGEMAKER_PROGRAM: 'app.py', SAGEMAKER_SUBMIT_DIRECTORY: code },
    });
    const reasons = await Promise.all(
      ['custom-image', 'no-program', 'wrong-program'].map(async (name) => {
        const described = await settled(name);
        expect(described.EndpointStatus, name).toBe('Failed');
        return described.FailureReason;
      }),
    );
    expect(reasons[0]).toMatch(
      /^Variant main, model custom-image: Plinth cannot serve the image 'registry.example.com\/custom-server:1'\. It serves .*ONNX models \(image plinth\/onnx.*SAGEMAKER_PROGRAM and SAGEMAKER_SUBMIT_DIRECTORY/,
    );
    expect(reasons[1]).toContain(
      `Variant main, model no-program: the image '${SKLEARN_IMAGE}' runs a model server you write, and the model's Environment has no SAGEMAKER_PROGRAM: set SAGEMAKER_PROGRAM to the server's entry script`,
    );
    expect(reasons[2]).toBe(
      `Variant main, model wrong-program: SAGEMAKER_PROGRAM 'app.py' was not found in ${code}.`,
    );
  });
});
