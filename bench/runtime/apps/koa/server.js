'use strict';
// Runtime benchmark app: one Koa route on a @koa/router router with the /api prefix. Prints
// `READY {"port":N}` once listening. bench/runtime-http.mjs runs it as is, instrumented by
// otel-instrument (in a copy), and under @opentelemetry/auto-instrumentations-node (http + koa).
const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router({ prefix: '/api' });
router.get('/items/:id', (ctx) => {
  ctx.body = { id: ctx.params.id, name: 'widget', stock: 3 };
});
app.use(router.routes());

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`READY ${JSON.stringify({ port: server.address().port })}`);
});
