import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  app.setGlobalPrefix('api', { exclude: ['health'] });
  await app.listen(process.env.PORT ?? 3000, process.env.HOST ?? '0.0.0.0');
  console.log(`listening on port ${app.getHttpServer().address().port}`);
}
bootstrap();
