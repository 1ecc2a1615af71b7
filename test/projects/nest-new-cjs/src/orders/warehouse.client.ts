import { Injectable } from '@nestjs/common';

export interface Stock {
  sku: string;
  available: number;
}

/** The warehouse API, called with the global fetch. */
@Injectable()
export class WarehouseClient {
  private readonly baseUrl = process.env.WAREHOUSE_URL ?? 'http://localhost:4000';

  async stock(sku: string): Promise<Stock> {
    const res = await fetch(`${this.baseUrl}/stock/${encodeURIComponent(sku)}`);
    if (!res.ok) throw new Error(`warehouse answered ${res.status}`);
    return (await res.json()) as Stock;
  }
}
