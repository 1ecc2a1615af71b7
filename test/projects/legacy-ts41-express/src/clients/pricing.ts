import http = require('http');
import config from '../config';

export interface Price {
  amount: number;
  currency: string;
}

/** The pricing service speaks plain HTTP/JSON; no client library. */
export function getPrice(sku: string): Promise<Price> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: config.pricingHost, port: config.pricingPort, path: `/prices/${encodeURIComponent(sku)}`, method: 'GET', headers: { Accept: 'application/json' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`pricing answered ${res.statusCode}`));
          try {
            resolve(JSON.parse(body));
          } catch (err) {
            reject(err);
          }
        });
      }
    );
    req.on('error', reject);
    req.end();
  });
}
