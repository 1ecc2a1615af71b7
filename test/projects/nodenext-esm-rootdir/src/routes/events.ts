import type { FastifyInstance } from 'fastify';
import { publishEvent, type DomainEvent } from '../kafka/producer.js';

interface EventBody {
  type: string;
  subject: string;
  data?: Record<string, unknown>;
}

const eventSchema = {
  body: {
    type: 'object',
    required: ['type', 'subject'],
    properties: {
      type: { type: 'string', minLength: 1 },
      subject: { type: 'string', minLength: 1 },
      data: { type: 'object' },
    },
  },
} as const;

export async function eventsRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: EventBody }>('/events', { schema: eventSchema }, async (request, reply) => {
    const event: DomainEvent = {
      id: crypto.randomUUID(),
      type: request.body.type,
      subject: request.body.subject,
      data: request.body.data ?? {},
      time: new Date().toISOString(),
    };
    await publishEvent(event);
    return reply.code(202).send({ id: event.id });
  });
}
