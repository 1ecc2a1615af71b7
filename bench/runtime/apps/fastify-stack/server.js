'use strict';
// Runtime benchmark app shaped like a real Fastify 5 service: five onRequest/preHandler hooks
// (request id, CORS, access log, bearer-token check on the root; a per-plugin rate counter) and
// an encapsulated users plugin registered with the /api/users prefix. Prints `READY {"port":N}`
// once listening. bench/runtime-http.mjs runs it as is,
// instrumented by otel-instrument (in a copy), and under instrumentation-http + @fastify/otel.
const Fastify = require('fastify');

const app = Fastify({ logger: false });
app.decorateRequest('user', null);

let sequence = 0;
app.addHook('onRequest', (request, reply, done) => {
  reply.header('x-request-id', request.headers['x-request-id'] ?? `req-${++sequence}`);
  done();
});

const ORIGINS = new Set(['https://app.example.com', 'https://admin.example.com']);
app.addHook('onRequest', async (request, reply) => {
  const origin = request.headers.origin;
  if (origin && ORIGINS.has(origin)) reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
});

const log = new Array(64);
let logged = 0;
app.addHook('onRequest', (request, reply, done) => {
  const started = process.hrtime.bigint();
  reply.raw.once('finish', () => {
    log[logged++ % log.length] = `${request.method} ${request.url} ${reply.statusCode} ${Number(process.hrtime.bigint() - started) / 1000}us`;
  });
  done();
});

app.addHook('preHandler', async (request, reply) => {
  if (request.headers.authorization !== 'Bearer bench-token') return reply.code(401).send({ error: 'unauthorized' });
  request.user = { id: 'u-1', roles: ['reader'] };
});

app.register(
  async (users) => {
    const seen = new Map();
    users.addHook('preHandler', (request, reply, done) => {
      seen.set(request.user.id, (seen.get(request.user.id) ?? 0) + 1);
      done();
    });
    users.get('/:id', async (request) => ({ id: request.params.id, name: 'Ada', email: 'ada@example.com', viewer: request.user.id }));
  },
  { prefix: '/api/users' },
);

// Required (bench/runtime-in-process.mjs), it only exports the app, not listening.
if (require.main === module) {
  app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
    console.log(`READY ${JSON.stringify({ port: app.server.address().port })}`);
  });
}
module.exports = app;
