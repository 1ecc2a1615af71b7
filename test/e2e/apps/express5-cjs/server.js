'use strict';
// Example Express 5 service in plain CommonJS JavaScript, instrumented by otel-instrument in a
// temp copy by test/e2e/express.test.ts. It calls DOWNSTREAM_URL and prints `READY {"port":N}`.
const express = require('express');
const { api } = require('./routes');
const { admin } = require('./admin');

const app = express();
app.use(express.json());
app.use('/api', api);
app.use('/admin', admin);
app.route('/reports/:year').get((req, res) => res.json({ year: req.params.year }));
app.get('/health', (req, res) => res.json({ ok: true }));

// Error middleware (four parameters): client errors keep their status, the rest are 500.
app.use((err, req, res, next) => {
  res.status(err.status ?? 500).json({ error: err.message });
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`READY ${JSON.stringify({ port: server.address().port })}`);
});
