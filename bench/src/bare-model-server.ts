// The hosting anchor: a bare Fastify server that scores POST /invocations in-process with the
// very code Plinth's linear-learner serve program runs (parse the rows by Content-Type, predict,
// format), on the model in the directory given as its argument: no front door, no second hop.
// Run as its own process; prints its URL on stdout when listening.
import { parseInferenceRows } from '@plinth/algorithms';
import { loadModel } from '@plinth/algorithms/linear-learner/model';
import { formatPredictions, predict } from '@plinth/algorithms/linear-learner/predict';
import Fastify from 'fastify';

type AcceptType = Parameters<typeof formatPredictions>[1];
const ACCEPT_TYPES: readonly AcceptType[] = [
  'application/json',
  'application/jsonlines',
  'text/csv',
  'application/x-recordio-protobuf',
];
/** SageMaker's real-time payload limit, as the model server has it. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

const modelDir = process.argv[2];
if (!modelDir) throw new Error('usage: bare-model-server.js <model dir holding model.json>');
const model = await loadModel(modelDir);

const app = Fastify({ logger: false, bodyLimit: MAX_BODY_BYTES });
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.post('/invocations', async (request, reply) => {
  const accept = ACCEPT_TYPES.find((t) => t === request.headers.accept) ?? 'application/json';
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const rows = await parseInferenceRows(body, request.headers['content-type'] ?? '');
  return reply.type(accept).send(formatPredictions(predict(model, rows), accept));
});
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
