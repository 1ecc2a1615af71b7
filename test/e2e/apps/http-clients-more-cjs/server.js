'use strict';
// Example service in plain CommonJS JavaScript whose outgoing calls use node-fetch 2 and undici;
// instrumented by otel-instrument in a temp copy by test/e2e/http-clients-more.test.ts.
// `GET /call/:name` makes one outgoing call and answers what it saw. Prints `READY {"port":N}`.
const Fastify = require('fastify');
const { calls } = require('./calls');

const app = Fastify({ logger: false });
app.get('/call/:name', async (request, reply) => {
  const call = calls[request.params.name];
  if (!call) return reply.code(404).send({ error: 'no such call' });
  return call();
});

app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
  console.log(`READY ${JSON.stringify({ port: app.server.address().port })}`);
});
