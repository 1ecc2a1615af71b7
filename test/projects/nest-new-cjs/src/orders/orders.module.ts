import { Module } from '@nestjs/common';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { WarehouseClient } from './warehouse.client';

@Module({
  controllers: [OrdersController],
  providers: [OrdersService, WarehouseClient],
})
export class OrdersModule {}
