import Fastify, { type FastifyInstance } from 'fastify';
import { config } from './config.js';
import { eventsRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';

export function buildApp(): FastifyInstance {
  const app = Fastify({ logger: { level: config.logLevel } });
  app.register(healthRoutes);
  app.register(eventsRoutes, { prefix: '/api' });
  return app;
}
