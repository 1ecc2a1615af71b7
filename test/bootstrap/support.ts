import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from '@opentelemetry/api';
import type { IdGenerator, NodeTracerProvider, Sampler } from '@opentelemetry/sdk-trace-node';
import { renderBootstrap, type BootstrapOptions } from '../../src/codemod/bootstrap.js';
import { flavorExtension, type Flavor } from '../../src/render-template.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const FLAVORS = {
  ts: { language: 'ts', moduleSystem: 'esm' },
  tsCjs: { language: 'ts', moduleSystem: 'cjs' },
  esm: { language: 'js', moduleSystem: 'esm' },
  cjs: { language: 'js', moduleSystem: 'cjs' },
} as const satisfies Record<string, Flavor>;

/** A fresh directory under the repo's `.tmp/`, so /work/main/node_modules resolves from it. */
export function tempDir(prefix: string): string {
  const base = path.join(repoRoot, '.tmp');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(path.join(base, `${prefix}-`));
}

/** Renders the bootstrap into `dir/otel-bootstrap.<ext>` and returns the file's path. */
export function writeBootstrap(dir: string, flavor: Flavor, options: BootstrapOptions = {}): string {
  const file = path.join(dir, `otel-bootstrap${flavorExtension(flavor)}`);
  writeFileSync(file, renderBootstrap(flavor, options));
  return file;
}

/** What a rendered bootstrap (time-ordered flavor) exports. */
export interface BootstrapModule {
  goTraceIdRatioSampled(traceId: string, fraction: number): boolean;
  GoCompatibleTraceIdRatioSampler: new (fraction: number) => Sampler & {
    shouldSample(context: Context, traceId: string): { decision: number };
  };
  samplerFromEnv(env: Record<string, string | undefined>): { sampler: Sampler; problem?: string };
  timeOrderedTraceId(ms: number, random: Uint8Array): string;
  TimeOrderedIdGenerator: new () => IdGenerator;
  tracerProvider: NodeTracerProvider | undefined;
  shutdownTracing(): Promise<void>;
}
