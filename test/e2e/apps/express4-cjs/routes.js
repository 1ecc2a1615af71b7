'use strict';
const express = require('express');

const downstream = process.env.DOWNSTREAM_URL;

// A callback-based "connection pool" as older drivers have: callbacks run from a timer created
// at start-up, so they lose the request's async context.
const waiting = [];
setInterval(() => {
  for (const callback of waiting.splice(0)) callback();
}, 5).unref();
function withConnection(req, res, next) {
  waiting.push(() => next());
}

const v1 = express.Router();

// Express 4 does not look at returned promises: handlers pass their errors to `next`.
v1.get('/items/:id', (req, res, next) => {
  fetch(`${downstream}/stock/${req.params.id}`)
    .then((stock) => stock.json())
    .then((stock) => res.json({ id: req.params.id, stock }), next);
});

v1.post('/items', (req, res, next) => {
  fetch(`${downstream}/stock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(req.body),
  }).then((created) => res.status(201).json({ created: req.body, downstream: created.status }), next);
});

v1.get('/pooled', withConnection, (req, res, next) => {
  fetch(`${downstream}/pooled`).then((pooled) => res.json({ downstream: pooled.status }), next);
});

// A synchronous throw: Express 4 catches it and calls the error middleware.
v1.get('/fail', () => {
  throw new Error('order lookup failed', { cause: new TypeError('connection reset by stock service') });
});

v1.get('/invalid', (req, res, next) => {
  next(Object.assign(new RangeError('page out of range'), { status: 400 }));
});

const api = express.Router();
api.use('/v1', v1);
api
  .route('/orders/:orderId')
  .get((req, res) => res.json({ order: req.params.orderId }))
  .put((req, res) => res.status(204).end());
api.get('/unavailable', (req, res) => res.status(503).json({ status: 'maintenance' }));

module.exports = { api };
