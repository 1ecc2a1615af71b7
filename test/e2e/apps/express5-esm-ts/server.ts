// Example Express 5 service in ESM TypeScript, instrumented by otel-instrument in a temp copy by
// test/e2e/express.test.ts. It calls DOWNSTREAM_URL and prints `READY {"port":N}`.
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AddressInfo } from 'node:net';
import { admin } from './admin.js';
import { api } from './routes.js';

const app = express();
app.use(express.json());
app.use('/api', api);
app.use('/admin', admin);
app.route('/reports/:year').get((req: Request<{ year: string }>, res: Response) => {
  res.json({ year: req.params.year });
});
app.get('/health', (_req: Request, res: Response) => {
  res.json({ ok: true });
});

// Error middleware (four parameters): client errors keep their status, the rest are 500.
app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
  res.status(err.status ?? 500).json({ error: err.message });
});

const server = app.listen(0, '127.0.0.1', () => {
  console.log(`READY ${JSON.stringify({ port: (server.address() as AddressInfo).port })}`);
});
