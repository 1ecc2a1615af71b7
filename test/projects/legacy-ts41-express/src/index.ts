import app from './app';
import config from './config';

const server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'string' || address === null ? config.port : address.port;
  console.log(`inventory-api listening on port ${port}`);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
});
