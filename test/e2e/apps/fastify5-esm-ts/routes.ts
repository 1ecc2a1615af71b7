import type { FastifyPluginAsync, preHandlerHookHandler } from 'fastify';

const downstream = process.env.DOWNSTREAM_URL;

// A callback-based "connection pool" as older drivers have: callbacks run from a timer created
// at start-up, so they lose the request's async context.
const waiting: (() => void)[] = [];
setInterval(() => {
  for (const callback of waiting.splice(0)) callback();
}, 5).unref();
const withConnection: preHandlerHookHandler = (_request, _reply, done) => {
  waiting.push(() => done());
};

const v1: FastifyPluginAsync = async (instance) => {
  instance.get<{ Params: { id: string } }>('/items/:id', async (request) => {
    const res = await fetch(`${downstream}/stock/${request.params.id}`);
    return { id: request.params.id, stock: (await res.json()) as unknown };
  });

  instance.post<{ Body: Record<string, unknown> }>('/items', async (request, reply) => {
    const res = await fetch(`${downstream}/stock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request.body),
    });
    reply.code(201);
    return { created: request.body, downstream: res.status };
  });

  instance.get('/pooled', { preHandler: withConnection }, async () => {
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
};

export const api: FastifyPluginAsync = async (instance) => {
  await instance.register(v1, { prefix: '/v1' });
  instance.route<{ Params: { orderId: string } }>({
    method: 'GET',
    url: '/orders/:orderId',
    handler: async (request) => ({ order: request.params.orderId }),
  });
  instance.get('/unavailable', async (_request, reply) => reply.code(503).send({ status: 'maintenance' }));
};
