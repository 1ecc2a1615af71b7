import config from '@/config';
import { logger } from '@/lib/logger';
import { createApp } from './app';

const app = createApp();

const server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(`quotes-service listening on http://${config.host}:${port}`);
});

process.on('SIGTERM', () => {
  logger.info('SIGTERM received, shutting down');
  server.close(() => process.exit(0));
});
