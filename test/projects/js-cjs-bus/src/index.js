'use strict';
const config = require('./config');
const createApp = require('./app');
const logger = require('./lib/logger');
const { connectBus, closeBus } = require('./bus');
const { startFulfilment } = require('./workers/fulfilment');
const { startMailer } = require('./workers/mailer');

async function main() {
  const bus = await connectBus();
  const fulfilment = await startFulfilment(bus);
  await startMailer(bus);

  const app = createApp(bus);
  const server = app.listen(config.port, config.host, () => {
    logger.info(`orders-service listening on port ${server.address().port}`);
  });

  process.on('SIGTERM', async () => {
    server.close();
    await fulfilment.disconnect();
    await closeBus(bus);
    process.exit(0);
  });
}

main().catch((err) => {
  logger.error(err.stack || String(err));
  process.exit(1);
});
