export const config = {
  port: Number(process.env.PORT ?? 8080),
  host: process.env.HOST ?? '0.0.0.0',
  logLevel: process.env.LOG_LEVEL ?? 'info',
  kafka: {
    clientId: process.env.KAFKA_CLIENT_ID ?? 'events-api',
    brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
    topic: process.env.EVENTS_TOPIC ?? 'domain-events',
    groupId: process.env.EVENTS_GROUP_ID ?? 'events-worker',
  },
} as const;
