// Example Koa 3 service in ESM TypeScript with no error middleware of its own: errors reach Koa's
// default handler. Instrumented in a temp copy by test/e2e/koa.test.ts; prints `READY {"port":N}`.
import Koa from 'koa';
import Router from '@koa/router';
import type { AddressInfo } from 'node:net';

const app = new Koa();
const router = new Router({ prefix: '/api' });

router.get('/fail/:id', () => {
  throw new Error('ledger write failed', { cause: new RangeError('disk quota exceeded') });
});
router.get('/teapot', (ctx) => {
  ctx.throw(418, 'short and stout');
});

app.use(router.routes());
app.use(router.allowedMethods());

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`READY ${JSON.stringify({ port: (server.address() as AddressInfo).port })}`);
});
