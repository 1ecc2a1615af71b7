'use strict';
const express = require('express');
const ordersRouter = require('./routes/orders');
const logger = require('./lib/logger');

function createApp(bus) {
  const app = express();
  app.use(express.json());

  app.get('/health', (req, res) => res.json({ status: 'ok' }));
  app.use('/api/orders', ordersRouter(bus));

  app.use((err, req, res, next) => {
    logger.error(`${req.method} ${req.originalUrl}: ${err.message}`);
    res.status(500).json({ error: 'internal error' });
  });

  return app;
}

module.exports = createApp;
