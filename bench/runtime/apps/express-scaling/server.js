'use strict';
// Runtime benchmark app for the cost per wrapped handler: BENCH_MIDDLEWARES (default 1) trivial
// middlewares in front of one route behind a router mounted at /api. bench/runtime-http.mjs runs
// it with 1, 5 and 15, uninstrumented and instrumented; the growth of CPU per request with the
// count, instrumented minus uninstrumented, is what each wrapped handler costs.
const express = require('express');

const app = express();
const count = Number(process.env.BENCH_MIDDLEWARES ?? 1);
for (let i = 0; i < count; i++) {
  app.use((req, res, next) => {
    res.locals.passed = (res.locals.passed ?? 0) + 1;
    next();
  });
}
const router = express.Router();
router.get('/items/:id', (req, res) => {
  res.json({ id: req.params.id, passed: res.locals.passed });
});
app.use('/api', router);

// Required (bench/runtime-in-process.mjs), it only exports the app, not listening.
if (require.main === module) {
  const server = app.listen(0, '127.0.0.1', () => {
    console.log(`READY ${JSON.stringify({ port: server.address().port })}`);
  });
}
module.exports = app;
