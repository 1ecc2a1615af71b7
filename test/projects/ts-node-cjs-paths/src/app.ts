import express, { NextFunction, Request, Response } from 'express';
import { HttpError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { healthRouter } from '@/routes/health';
import { quotesRouter } from '@/routes/quotes';

export function createApp() {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());

  app.use('/health', healthRouter);
  app.use('/api/quotes', quotesRouter);

  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: `no route for ${req.method} ${req.path}` });
  });

  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  app.use((err: Error, req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof HttpError ? err.status : 500;
    if (status >= 500) logger.error(`${req.method} ${req.originalUrl} failed: ${err.message}`);
    res.status(status).json({ error: err.message });
  });

  return app;
}
