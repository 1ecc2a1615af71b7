// Generates a synthetic source tree for the codemod benchmark: N files, a share of them using
// express, fastify or fetch, the rest ordinary modules of similar size. Deterministic (seeded).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const plain = (i) => `import { readFile } from 'node:fs/promises';

/** Module ${i}: ordinary business logic, nothing to instrument. */
export interface Item${i} {
  id: string;
  price: number;
  tags: string[];
}

export function total${i}(items: Item${i}[]): number {
  let sum = 0;
  for (const item of items) {
    if (item.tags.includes('discount')) sum += item.price * 0.9;
    else sum += item.price;
  }
  return Math.round(sum * 100) / 100;
}

export async function load${i}(file: string): Promise<Item${i}[]> {
  const text = await readFile(file, 'utf8');
  return JSON.parse(text) as Item${i}[];
}

export class Cache${i} {
  private readonly entries = new Map<string, Item${i}>();
  get(id: string): Item${i} | undefined {
    return this.entries.get(id);
  }
  set(item: Item${i}): void {
    this.entries.set(item.id, item);
  }
}
`;

const express = (i) => `import express from 'express';

const app = express();
const router = express.Router();

router.get('/items/:id', async (req, res) => {
  const upstream = await fetch(\`http://inventory.internal/items/\${req.params.id}\`);
  res.json(await upstream.json());
});

app.use('/api${i}', router);
app.listen(3000 + ${i % 1000});
`;

const fastify = (i) => `import Fastify from 'fastify';

const app = Fastify({ logger: false });

app.get('/orders/:id', async (request) => {
  const res = await fetch('http://orders.internal/orders/' + (request.params as { id: string }).id);
  return res.json();
});

app.listen({ port: 4000 + ${i % 1000} });
`;

const fetchOnly = (i) => `export async function price${i}(sku: string): Promise<number> {
  const res = await fetch('http://pricing.internal/price?sku=' + sku, { headers: { accept: 'application/json' } });
  const body = (await res.json()) as { price: number };
  return body.price;
}
`;

export function generateTree(dir, { files = 10_000, share = 0.05, seed = 42 } = {}) {
  rmSync(dir, { recursive: true, force: true });
  const random = rng(seed);
  const kinds = [express, fastify, fetchOnly];
  for (let i = 0; i < files; i++) {
    const sub = path.join(dir, `pkg${Math.floor(i / 500)}`, `mod${Math.floor(i / 50) % 10}`);
    mkdirSync(sub, { recursive: true });
    const instrumentable = random() < share;
    const body = instrumentable ? kinds[i % kinds.length](i) : plain(i);
    writeFileSync(path.join(sub, `file${i}.ts`), body);
  }
  writeFileSync(path.join(dir, 'package.json'), '{ "name": "bench-tree", "type": "module" }\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  generateTree(process.argv[2] ?? 'bench/.work/tree');
}
