// Example service in ESM TypeScript whose outgoing calls use undici, got and node-fetch 3;
// instrumented by otel-instrument in a temp copy by test/e2e/http-clients-more.test.ts.
// `GET /call/:name` makes one outgoing call and answers what it saw. Prints `READY {"port":N}`.
import { fastify } from 'fastify';
import type { AddressInfo } from 'node:net';
import { calls } from './calls.js';

const app = fastify({ logger: false });
app.get<{ Params: { name: string } }>('/call/:name', async (request, reply) => {
  const call = calls[request.params.name];
  if (!call) return reply.code(404).send({ error: 'no such call' });
  return call();
});

await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`READY ${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}`);
