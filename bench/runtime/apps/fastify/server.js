'use strict';
// Runtime benchmark app: one Fastify route in a plugin registered with the /api prefix. Prints
// `READY {"port":N}` once listening. bench/runtime-http.mjs runs it as is, instrumented by
// otel-instrument (in a copy), and under @opentelemetry/auto-instrumentations-node + @fastify/otel.
const Fastify = require('fastify');

const app = Fastify({ logger: false });
app.register(
  async (api) => {
    api.get('/items/:id', async (request) => ({ id: request.params.id, name: 'widget', stock: 3 }));
  },
  { prefix: '/api' },
);

app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
  console.log(`READY ${JSON.stringify({ port: app.server.address().port })}`);
});
