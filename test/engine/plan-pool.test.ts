import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { poolThreshold, POOL_THRESHOLD } from '../../src/codemod/plan-pool.js';
import { runCli, tempDir } from '../support/cli.js';
import { repoRoot } from '../support/golden.js';
import { makeProject } from './make-project.js';

// The built CLI with plan workers forced on (threshold 1) and off (0): the same report, the same
// files written, byte for byte; errors still name file:line:col.
const EXPRESS = (n: number) => `import express from 'express';\nconst app = express();\napp.get('/items/${n}', (req, res) => res.json({ n: ${n} }));\napp.listen(${3000 + n});\n`;
const FASTIFY = (n: number) => `const Fastify = require('fastify');\nconst app = Fastify();\napp.get('/orders/${n}', async () => ({ n: ${n} }));\napp.listen({ port: ${4000 + n} });\n`;
const FETCH = (n: number) => `export async function price${n}(sku: string) {\n  const res = await fetch('http://pricing.internal/price?sku=' + sku);\n  return res.json();\n}\n`;
const PLAIN = (n: number) => `export const total${n} = (xs: number[]) => xs.reduce((a, b) => a + b, 0);\n`;

function project(): string {
  const files: Record<string, string> = { 'package.json': '{ "name": "pool", "type": "module", "dependencies": { "express": "^5.0.0", "fastify": "^5.0.0" } }\n' };
  for (let n = 0; n < 60; n++) {
    const kind = n % 4;
    files[`src/m${Math.floor(n / 10)}/f${n}.${kind === 1 ? 'cjs' : 'ts'}`] = [EXPRESS, FASTIFY, FETCH, PLAIN][kind]!(n);
  }
  files['src/broken.ts'] = "import express from 'express';\nconst app = express(;\n";
  return makeProject('pool', files);
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else out[child] = readFileSync(path.join(dir, child), 'utf8');
    }
  };
  walk('');
  return out;
}

describe('plan workers', () => {
  it.each(['--check', '--write'])('give the same result as the main thread alone (%s)', (mode) => {
    const alone = project();
    const pooled = tempDir('pool');
    cpSync(alone, pooled, { recursive: true });
    const args = mode === '--write' ? ['--json', 'src'] : ['--json', mode, 'src'];
    const a = runCli(args, alone, { OTEL_INSTRUMENT_POOL_THRESHOLD: '0' });
    const b = runCli(args, pooled, { OTEL_INSTRUMENT_POOL_THRESHOLD: '1' });
    expect(b.status).toBe(a.status);
    const report = (run: { stdout: string }, dir: string) => run.stdout.split(dir).join('<dir>');
    expect(report(b, pooled)).toBe(report(a, alone));
    expect(snapshot(pooled)).toEqual(snapshot(alone));
    const files = JSON.parse(a.stdout).files as { file: string; status: string; error?: string }[];
    expect(files.filter((f) => f.status === 'changed').length).toBe(45);
    expect(files.find((f) => f.file.endsWith('broken.ts'))?.error).toMatch(/broken\.ts:2:\d+: /);
  });

  it('plan on worker threads, results in task order (the built pool, as the CLI runs it)', async () => {
    const dist = (rel: string) => pathToFileURL(path.join(repoRoot, 'dist', rel)).href;
    const { PlanPool } = (await import(dist('src/codemod/plan-pool.js'))) as typeof import('../../src/codemod/plan-pool.js');
    const { planFile } = (await import(dist('src/codemod/plan-file.js'))) as typeof import('../../src/codemod/plan-file.js');
    const { ALL_TRANSFORMS } = (await import(dist('transforms/index.js'))) as typeof import('../../transforms/index.js');
    const dir = project();
    const tasks = Object.keys(snapshot(dir))
      .filter((rel) => rel.startsWith('src'))
      .sort()
      .map((rel) => ({ path: path.join(dir, rel), bytes: readFileSync(path.join(dir, rel)), top: dir }));
    const pool = PlanPool.start(ALL_TRANSFORMS, { module: dist('transforms/index.js'), name: 'ALL_TRANSFORMS' }, true);
    expect(pool).toBeDefined();
    let planned = 0;
    try {
      // Loaded first, so that the worker surely takes a share.
      await pool!.whenReady();
      const results = await pool!.plan(tasks, ALL_TRANSFORMS, true, (n) => (planned += n));
      expect(pool!.plannedByWorkers).toBeGreaterThan(0);
      expect(results).toEqual(tasks.map((task) => planFile(task, ALL_TRANSFORMS, true)));
    } finally {
      await pool!.close();
    }
    expect(planned).toBe(tasks.length);
  });

  it('start from POOL_THRESHOLD files to parse unless told otherwise', () => {
    expect(poolThreshold({})).toBe(POOL_THRESHOLD);
    expect(poolThreshold({ OTEL_INSTRUMENT_POOL_THRESHOLD: '16' })).toBe(16);
    expect(poolThreshold({ OTEL_INSTRUMENT_POOL_THRESHOLD: '0' })).toBe(Infinity);
  });
});
