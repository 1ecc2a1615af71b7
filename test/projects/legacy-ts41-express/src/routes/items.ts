import { Router } from 'express';
import { getStock } from '../clients/stock';
import { getPrice } from '../clients/pricing';

const router = Router();

router.get('/:sku', async (req, res, next) => {
  try {
    const sku = req.params.sku;
    const [stock, price] = await Promise.all([getStock(sku), getPrice(sku)]);
    res.json({ sku, available: stock.available, price: price.amount, currency: price.currency });
  } catch (err) {
    next(err);
  }
});

export default router;
