'use strict';
// Runtime benchmark app shaped like a real Express 5 service: a body parser, security headers
// (helmet-like), CORS (cors-like), request logging and a bearer-token check, written here so the
// bench depends on nothing else, then a users router mounted at /api/users. Prints
// `READY {"port":N}` once listening. bench/runtime-http.mjs runs it as is, instrumented by
// otel-instrument (in a copy), and under @opentelemetry/auto-instrumentations-node.
const express = require('express');

const app = express();
app.use(express.json());

// Security headers, as helmet sets them by default (a subset).
app.use((req, res, next) => {
  res.setHeader('Content-Security-Policy', "default-src 'self'");
  res.setHeader('Strict-Transport-Security', 'max-age=15552000; includeSubDomains');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'SAMEORIGIN');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.removeHeader('X-Powered-By');
  next();
});

// CORS for a list of origins; answers preflight requests itself.
const ORIGINS = new Set(['https://app.example.com', 'https://admin.example.com']);
app.use((req, res, next) => {
  const origin = req.headers.origin;
  if (origin && ORIGINS.has(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
  }
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET,POST,PUT,DELETE');
    res.statusCode = 204;
    return res.end();
  }
  next();
});

// Access log: one line per response, kept in a small ring instead of written (I/O is not what is measured).
const log = new Array(64);
let logged = 0;
app.use((req, res, next) => {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const micros = Number(process.hrtime.bigint() - started) / 1000;
    log[logged++ % log.length] = `${req.method} ${req.originalUrl} ${res.statusCode} ${micros.toFixed(0)}us`;
  });
  next();
});

// Bearer-token check.
app.use((req, res, next) => {
  const header = req.headers.authorization;
  if (header !== 'Bearer bench-token') return res.status(401).json({ error: 'unauthorized' });
  res.locals.user = { id: 'u-1', roles: ['reader'] };
  next();
});

const users = express.Router();
users.get('/:id', (req, res) => {
  res.json({ id: req.params.id, name: 'Ada', email: 'ada@example.com', viewer: res.locals.user.id });
});
app.use('/api/users', users);

// Required (bench/runtime-in-process.mjs), it only exports the app, not listening.
if (require.main === module) {
  const server = app.listen(0, '127.0.0.1', () => {
    console.log(`READY ${JSON.stringify({ port: server.address().port })}`);
  });
}
module.exports = app;
