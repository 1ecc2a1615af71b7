import { Router, type RequestHandler } from 'express';

const downstream = process.env.DOWNSTREAM_URL;

// A callback-based "connection pool" as older drivers have: callbacks run from a timer created
// at start-up, so they lose the request's async context.
const waiting: (() => void)[] = [];
setInterval(() => {
  for (const callback of waiting.splice(0)) callback();
}, 5).unref();
const withConnection: RequestHandler = (_req, _res, next) => {
  waiting.push(() => next());
};

const v1 = Router();

v1.get('/items/:id', async (req, res) => {
  const stock = await fetch(`${downstream}/stock/${req.params.id}`);
  res.json({ id: req.params.id, stock: (await stock.json()) as unknown });
});

v1.post('/items', async (req, res) => {
  const created = await fetch(`${downstream}/stock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(req.body),
  });
  res.status(201).json({ created: req.body as unknown, downstream: created.status });
});

v1.get('/pooled', withConnection, async (_req, res) => {
  const pooled = await fetch(`${downstream}/pooled`);
  res.json({ downstream: pooled.status });
});

v1.get('/fail', async () => {
  throw new Error('order lookup failed', { cause: new TypeError('connection reset by stock service') });
});

v1.get('/invalid', (_req, _res, next) => {
  next(Object.assign(new RangeError('page out of range'), { status: 400 }));
});

export const api = Router();
api.use('/v1', v1);
api
  .route('/orders/:orderId')
  .get((req, res) => {
    res.json({ order: req.params.orderId });
  })
  .put((_req, res) => {
    res.status(204).end();
  });
api.get('/unavailable', (_req, res) => {
  res.status(503).json({ status: 'maintenance' });
});
