'use strict';
// Example Fastify service in plain CommonJS JavaScript, instrumented by otel-instrument in a
// temp copy by test/e2e/fastify.test.ts, which runs it on Fastify 5 and on Fastify 4 (the copy's
// node_modules/fastify linked to the fastify4 alias). It calls DOWNSTREAM_URL and prints
// `READY {"port":N}`.
const Fastify = require('fastify');
const { api } = require('./routes');

const app = Fastify({ logger: false });
app.register(api, { prefix: '/api' });
app.get('/health', async () => ({ ok: true }));

app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
  console.log(`READY ${JSON.stringify({ port: app.server.address().port })}`);
});
