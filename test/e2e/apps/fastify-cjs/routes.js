'use strict';

const downstream = process.env.DOWNSTREAM_URL;

// A callback-based "connection pool" as older drivers have: callbacks run from a timer created
// at start-up, so they lose the request's async context.
const waiting = [];
setInterval(() => {
  for (const callback of waiting.splice(0)) callback();
}, 5).unref();
function withConnection(callback) {
  waiting.push(callback);
}

async function v1(instance) {
  instance.get('/items/:id', async (request) => {
    const res = await fetch(`${downstream}/stock/${request.params.id}`);
    return { id: request.params.id, stock: await res.json() };
  });

  instance.post('/items', async (request, reply) => {
    const res = await fetch(`${downstream}/stock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request.body),
    });
    reply.code(201);
    return { created: request.body, downstream: res.status };
  });

  instance.get('/pooled', { preHandler: (request, reply, done) => withConnection(() => done()) }, async () => {
    const res = await fetch(`${downstream}/pooled`);
    return { downstream: res.status };
  });

  instance.get('/fail', async () => {
    throw new Error('order lookup failed', { cause: new TypeError('connection reset by stock service') });
  });

  // Fastify answers an error carrying a 4xx statusCode with that status: the client's error.
  instance.get('/invalid', async () => {
    throw Object.assign(new Error('quantity must be positive'), { statusCode: 400 });
  });
}

async function api(instance) {
  instance.register(v1, { prefix: '/v1' });
  instance.route({
    method: 'GET',
    url: '/orders/:orderId',
    handler: async (request) => ({ order: request.params.orderId }),
  });
  instance.get('/unavailable', async (request, reply) => reply.code(503).send({ status: 'maintenance' }));
}

module.exports = { api };
