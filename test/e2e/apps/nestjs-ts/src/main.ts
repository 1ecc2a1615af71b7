// Example NestJS service in TypeScript (compiled with tsc: Nest needs decorator metadata),
// instrumented by otel-instrument in a temp copy by test/e2e/nestjs.test.ts, which runs it on
// the Express adapter, with NEST_ADAPTER=fastify on the Fastify adapter, and with
// NEST_ADAPTER=express-instance on an Express adapter given its own app. It calls
// DOWNSTREAM_URL and prints `READY {"port":N}`.
import 'reflect-metadata';
import express from 'express';
import { VersioningType, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
  const adapter = process.env.NEST_ADAPTER;
  const app: INestApplication =
    adapter === 'fastify'
      ? await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: false })
      : adapter === 'express-instance'
        ? await NestFactory.create(AppModule, new ExpressAdapter(express()), { logger: false })
        : await NestFactory.create(AppModule, { logger: false });
  app.setGlobalPrefix('api', { exclude: ['health'] });
  app.enableVersioning({ type: VersioningType.URI });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  console.log(`READY ${JSON.stringify({ port: address.port })}`);
}

void bootstrap();
