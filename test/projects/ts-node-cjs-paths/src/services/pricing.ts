import axios from 'axios';
import config from '@/config';
import { HttpError } from '@/lib/errors';

export interface Quote {
  symbol: string;
  price: number;
  currency: string;
  asOf: string;
}

const pricingApi = axios.create({
  baseURL: config.pricingApiUrl,
  timeout: config.requestTimeoutMs,
  headers: { Accept: 'application/json' },
});

export async function getQuote(symbol: string): Promise<Quote> {
  try {
    const { data } = await pricingApi.get<Quote>(`/v1/prices/${encodeURIComponent(symbol)}`);
    return data;
  } catch (err) {
    if (axios.isAxiosError(err) && err.response?.status === 404) throw new HttpError(404, `unknown symbol ${symbol}`);
    throw new HttpError(502, 'pricing service unavailable');
  }
}
