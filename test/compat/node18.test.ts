// Generated runtime code must run on every Node from 18 on: every helper, rendered in both
// JavaScript flavours, loaded and doing real work under Node 18 (test/compat/toolchains), also
// as Node 18.0–18.13 run it, without `buffer.isUtf8`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { helperFile, renderHelper } from '../../src/codemod/helper-modules.js';
import { flavorExtension, type Flavor } from '../../src/render-template.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const node18 = path.join(repoRoot, 'test/compat/toolchains/node_modules/node18/bin/node');
const here = path.join(repoRoot, 'test/compat/node18');
if (!existsSync(node18)) throw new Error(`${node18} missing: run bash scripts/compat-toolchains.sh (npm run test:all does)`);
const workDir = path.join(repoRoot, '.tmp', 'compat-node18');
const helperNames = readdirSync(path.join(repoRoot, 'templates/runtime'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface Run {
  node: string;
  helpers: string[];
  body: unknown;
  seen: (string | undefined)[];
  spans: { name: string; kind: number; traceId: string; spanId: string; parentSpanId?: string; attributes: Record<string, unknown> }[];
}

function exercise(flavor: Flavor, preload: string[]): Run {
  const dir = path.join(workDir, flavor.moduleSystem, 'otel-instrument');
  mkdirSync(dir, { recursive: true });
  for (const helper of helperNames) writeFileSync(helperFile(dir, helper, flavor), renderHelper(helper, flavor));
  const args = [...preload.flatMap((p) => ['--require', p]), path.join(here, 'exercise-helpers.mjs'), dir, flavorExtension(flavor)];
  const run = spawnSync(node18, args, { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Run;
}

describe('rendered helpers under Node 18', () => {
  for (const moduleSystem of ['esm', 'cjs'] as const) {
    for (const [label, preload] of [
      ['Node 18.20', []],
      ['Node 18.0–18.13 (no buffer.isUtf8)', [path.join(here, 'without-isutf8.cjs')]],
    ] as const) {
      it(`${moduleSystem.toUpperCase()} flavour, ${label}: every helper loads; a traced Express request and Kafka key decoding work`, () => {
        const run = exercise({ language: 'js', moduleSystem }, [...preload]);
        expect(run.node).toMatch(/^v18\./);
        expect(run.helpers.sort()).toEqual([...helperNames].sort());
        expect(run.body).toEqual({ id: '7' });
        const parent = run.spans.find((s) => s.name === 'parent')!;
        const client = run.spans.find((s) => s.kind === 2)!;
        const server = run.spans.find((s) => s.kind === 1)!;
        // One trace: parent → CLIENT → SERVER, context carried over the wire by the helpers.
        expect(client.parentSpanId).toBe(parent.spanId);
        expect(server.parentSpanId).toBe(client.spanId);
        expect(new Set([parent.traceId, client.traceId, server.traceId]).size).toBe(1);
        expect(server.name).toBe('GET /users/:id');
        expect(server.attributes['url.query']).toBe('token=REDACTED');
        const [utf8, binary] = run.spans.filter((s) => s.kind === 4);
        // The message's own context from its Buffer header; a key only when it is UTF-8.
        expect(run.seen).toEqual(['0af7651916cd43dd8448eb211c80319c', '0af7651916cd43dd8448eb211c80319c']);
        expect(utf8!.parentSpanId).toBe('b7ad6b7169203331');
        expect(utf8!.attributes['messaging.kafka.message.key']).toBe('order-1');
        expect(binary!.attributes).not.toHaveProperty('messaging.kafka.message.key');
      });
    }
  }
});
