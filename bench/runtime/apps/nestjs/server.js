'use strict';
// Runtime benchmark app: one NestJS 12 controller route under the global prefix /api, on the
// Express adapter; decorators applied as calls, so it runs as plain JavaScript. Prints
// `READY {"port":N}` once listening. bench/runtime-http.mjs runs it as is, instrumented by
// otel-instrument (in a copy), and under @opentelemetry/auto-instrumentations-node (http +
// express + nestjs-core, which does not patch NestJS 12: its spans come from http and express).
require('reflect-metadata');
const { Controller, Get, Module, Param } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');

class ItemsController {
  find(id) {
    return { id, name: 'widget', stock: 3 };
  }
}
Controller('items')(ItemsController);
Get(':id')(ItemsController.prototype, 'find', Object.getOwnPropertyDescriptor(ItemsController.prototype, 'find'));
Param('id')(ItemsController.prototype, 'find', 0);

class AppModule {}
Module({ controllers: [ItemsController] })(AppModule);

async function main() {
  const app = await NestFactory.create(AppModule, { logger: false });
  app.setGlobalPrefix('api');
  await app.listen(0, '127.0.0.1');
  console.log(`READY ${JSON.stringify({ port: app.getHttpServer().address().port })}`);
}
main();
