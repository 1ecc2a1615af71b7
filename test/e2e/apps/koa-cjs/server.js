'use strict';
// Example Koa service in plain CommonJS JavaScript, instrumented by otel-instrument in a temp
// copy by test/e2e/koa.test.ts, which runs it on Koa 3 and on Koa 2 (the copy's node_modules/koa
// linked to the koa2 alias). It calls DOWNSTREAM_URL and prints `READY {"port":N}`.
const Koa = require('koa');
const Router = require('@koa/router');
const { api } = require('./routes');

const app = new Koa();

// As many Koa apps do: a first middleware answers errors and re-emits them for logging.
app.use(async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    ctx.status = err.status ?? 500;
    ctx.body = { error: err.message };
    ctx.app.emit('error', err, ctx);
  }
});
app.on('error', () => {});

const root = new Router();
root.get('/health', (ctx) => {
  ctx.body = { ok: true };
});

app.use(api.routes());
app.use(root.routes());

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`READY ${JSON.stringify({ port: server.address().port })}`);
});
