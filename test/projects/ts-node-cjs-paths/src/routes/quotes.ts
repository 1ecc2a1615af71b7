import { Router } from 'express';
import { getQuote } from '@/services/pricing';
import { convert } from '@/services/rates';

export const quotesRouter = Router();

quotesRouter.get('/:symbol', async (req, res, next) => {
  try {
    const currency = typeof req.query.currency === 'string' ? req.query.currency.toUpperCase() : 'USD';
    const quote = await getQuote(req.params.symbol);
    const price = quote.currency === currency ? quote.price : await convert(quote.price, quote.currency, currency);
    res.json({ symbol: quote.symbol, price, currency, asOf: quote.asOf });
  } catch (err) {
    next(err);
  }
});
