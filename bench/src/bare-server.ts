// The anchor: a bare Fastify server answering every POST / with a constant JSON body the size
// of a DescribeModel answer. Run as its own process; prints its URL on stdout when listening.
import Fastify from 'fastify';

const BODY = JSON.stringify({
  ModelName: 'bench-model-0001',
  ModelArn: 'arn:aws:sagemaker:us-east-1:000000000000:model/bench-model-0001',
  PrimaryContainer: { Image: 'plinth/linear-learner:1', Mode: 'SingleModel', Environment: {} },
  EnableNetworkIsolation: false,
  CreationTime: 1795000000.123,
});

const app = Fastify({ logger: false });
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.post('/', async (_request, reply) => reply.type('application/x-amz-json-1.1').send(BODY));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
