export interface Config {
  port: number;
  host: string;
  pricingApiUrl: string;
  ratesApiUrl: string;
  requestTimeoutMs: number;
}

const config: Config = {
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '0.0.0.0',
  pricingApiUrl: process.env.PRICING_API_URL ?? 'http://localhost:4001',
  ratesApiUrl: process.env.RATES_API_URL ?? 'http://localhost:4002',
  requestTimeoutMs: Number(process.env.REQUEST_TIMEOUT_MS ?? 2000),
};

export default config;
