// Example Fastify 5 service in ESM TypeScript, instrumented by otel-instrument in a temp copy by
// test/e2e/fastify.test.ts. It calls DOWNSTREAM_URL and prints `READY {"port":N}`.
import { fastify } from 'fastify';
import type { AddressInfo } from 'node:net';
import { api } from './routes.js';

const app = fastify({ logger: false });
await app.register(api, { prefix: '/api' });
app.get('/health', async () => ({ ok: true }));

await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`READY ${JSON.stringify({ port: (app.server.address() as AddressInfo).port })}`);
