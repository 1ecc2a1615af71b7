import { Injectable } from '@nestjs/common';

@Injectable()
export class ItemsService {
  private readonly downstream = process.env.DOWNSTREAM_URL;

  async stock(id: string): Promise<unknown> {
    const res = await fetch(`${this.downstream}/stock/${id}`);
    return res.json();
  }

  async create(body: unknown): Promise<number> {
    const res = await fetch(`${this.downstream}/stock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return res.status;
  }

  async pooled(): Promise<number> {
    return (await fetch(`${this.downstream}/pooled`)).status;
  }
}
