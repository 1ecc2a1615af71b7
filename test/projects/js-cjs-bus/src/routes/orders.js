'use strict';
const express = require('express');
const { placeOrder } = require('../services/orders');

function ordersRouter(bus) {
  const router = express.Router();

  router.post('/', async (req, res, next) => {
    try {
      if (!req.body || !req.body.customer || !Array.isArray(req.body.items)) {
        return res.status(400).json({ error: 'customer and items are required' });
      }
      const order = await placeOrder(bus, req.body);
      res.status(201).json(order);
    } catch (err) {
      next(err);
    }
  });

  return router;
}

module.exports = ordersRouter;
