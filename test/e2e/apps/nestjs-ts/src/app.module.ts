import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ApiController, HealthController } from './api.controller.js';
import { ItemsController } from './items.controller.js';
import { ItemsService } from './items.service.js';
import { PoolMiddleware } from './pool.middleware.js';
import { StockErrorFilter } from './stock-error.filter.js';

@Module({
  controllers: [ItemsController, ApiController, HealthController],
  providers: [ItemsService, StockErrorFilter],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(PoolMiddleware).forRoutes('v1/pooled');
  }
}
