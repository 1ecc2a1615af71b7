import config from '@/config';
import { HttpError } from '@/lib/errors';

interface RateResponse {
  from: string;
  to: string;
  rate: number;
}

export async function convert(amount: number, from: string, to: string): Promise<number> {
  const url = `${config.ratesApiUrl}/rates?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new HttpError(502, `rates service answered ${res.status}`);
  const body = (await res.json()) as RateResponse;
  return Math.round(amount * body.rate * 100) / 100;
}
