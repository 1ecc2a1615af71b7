'use strict';
// Runtime benchmark app: one Express route behind a router mounted at /api. Prints
// `READY {"port":N}` once listening. bench/runtime-http.mjs runs it as is, instrumented by
// otel-instrument (in a copy), and under @opentelemetry/auto-instrumentations-node.
const express = require('express');

const app = express();
const router = express.Router();
router.get('/items/:id', (req, res) => {
  res.json({ id: req.params.id, name: 'widget', stock: 3 });
});
app.use('/api', router);

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`READY ${JSON.stringify({ port: server.address().port })}`);
});
