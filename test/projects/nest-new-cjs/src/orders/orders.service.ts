import { Injectable, NotFoundException } from '@nestjs/common';
import { WarehouseClient } from './warehouse.client';

const ORDERS: Record<string, { id: string; lines: { sku: string; qty: number }[] }> = {
  'o-1': { id: 'o-1', lines: [{ sku: 'SKU-1', qty: 2 }, { sku: 'SKU-2', qty: 1 }] },
};

@Injectable()
export class OrdersService {
  constructor(private readonly warehouse: WarehouseClient) {}

  async findOne(id: string) {
    const order = ORDERS[id];
    if (!order) throw new NotFoundException(`order ${id} not found`);
    const lines = await Promise.all(order.lines.map(async (line) => ({ ...line, available: (await this.warehouse.stock(line.sku)).available })));
    return { id: order.id, lines };
  }
}
