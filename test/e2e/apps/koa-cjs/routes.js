'use strict';
const Router = require('@koa/router');

const downstream = process.env.DOWNSTREAM_URL;

// A callback-based "connection pool" as older drivers have: callbacks run from a timer created
// at start-up, so they lose the request's async context.
const waiting = [];
setInterval(() => {
  for (const callback of waiting.splice(0)) callback();
}, 5).unref();
function withConnection(ctx, next) {
  return new Promise((resolve, reject) => waiting.push(() => next().then(resolve, reject)));
}

async function readJson(ctx) {
  let text = '';
  for await (const chunk of ctx.req) text += chunk;
  return JSON.parse(text);
}

const v1 = new Router();

v1.get('/items/:id', async (ctx) => {
  const stock = await fetch(`${downstream}/stock/${ctx.params.id}`);
  ctx.body = { id: ctx.params.id, stock: await stock.json() };
});

v1.post('/items', async (ctx) => {
  const body = await readJson(ctx);
  const created = await fetch(`${downstream}/stock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  ctx.status = 201;
  ctx.body = { created: body, downstream: created.status };
});

v1.get('/pooled', withConnection, async (ctx) => {
  const pooled = await fetch(`${downstream}/pooled`);
  ctx.body = { downstream: pooled.status };
});

v1.get('/fail', async () => {
  throw new Error('order lookup failed', { cause: new TypeError('connection reset by stock service') });
});

v1.get('/invalid', (ctx) => {
  ctx.throw(400, 'page out of range');
});

const api = new Router({ prefix: '/api' });
api.use('/v1', v1.routes());
api
  .get('/orders/:orderId', (ctx) => {
    ctx.body = { order: ctx.params.orderId };
  })
  .put('/orders/:orderId', (ctx) => {
    ctx.status = 204;
  });
api.get('/unavailable', (ctx) => {
  ctx.status = 503;
  ctx.body = { status: 'maintenance' };
});

module.exports = { api };
