// The Node side of the shared vectors: the rendered bootstrap must decide exactly like the Go SDK
// (whose answers the vectors hold) and lay out time-ordered ids like the Go template.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { SamplingDecision, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FLAVORS, repoRoot, tempDir, writeBootstrap, type BootstrapModule } from '../bootstrap/support.js';

interface SamplingVectors {
  ratios: { ratio: number; description: string; sampled: string }[];
  traceIds: string[];
}
interface EnvVectors {
  traceIds: string[];
  cases: { env: Record<string, string>; problem: boolean; sampled: Record<Parent, string> }[];
}
interface TimeOrderedVectors {
  vectors: { ms: number; random: string; traceId: string }[];
}
type Parent = 'none' | 'remote-sampled' | 'remote-not-sampled';

const readVectors = <T>(name: string): T => JSON.parse(readFileSync(path.join(repoRoot, 'test/vectors', name), 'utf8')) as T;
const sampling = readVectors<SamplingVectors>('sampling.json');
const envVectors = readVectors<EnvVectors>('sampler-env.json');
const timeOrdered = readVectors<TimeOrderedVectors>('time-ordered-ids.json');

const modules: Record<'esm' | 'cjs', BootstrapModule> = {} as Record<'esm' | 'cjs', BootstrapModule>;

beforeAll(async () => {
  // Load the exports only: with the SDK disabled the bootstrap registers nothing in this worker.
  vi.stubEnv('OTEL_SDK_DISABLED', 'true');
  const dir = tempDir('vectors');
  const esm = writeBootstrap(dir, FLAVORS.esm, { idGenerator: 'time-ordered' });
  const cjs = writeBootstrap(dir, FLAVORS.cjs, { idGenerator: 'time-ordered' });
  modules.esm = (await import(pathToFileURL(esm).href)) as BootstrapModule;
  modules.cjs = createRequire(import.meta.url)(cjs) as BootstrapModule;
});

afterAll(() => {
  vi.unstubAllEnvs();
});

const bits = (decisions: boolean[]): string => decisions.map((d) => (d ? '1' : '0')).join('');

it('has the vectors the brief asks for', () => {
  expect(sampling.traceIds).toHaveLength(10_000);
  expect(new Set(sampling.traceIds).size).toBe(10_000);
  expect(sampling.ratios.map((r) => r.ratio)).toEqual(expect.arrayContaining([0, 0.0001, 0.01, 0.25, 0.5, 0.75, 0.999, 1]));
  expect(timeOrdered.vectors.length).toBeGreaterThan(0);
});

describe.each(['esm', 'cjs'] as const)('%s bootstrap', (flavor) => {
  it('samples every vector as the Go SDK does (function and Sampler)', () => {
    const { goTraceIdRatioSampled, GoCompatibleTraceIdRatioSampler } = modules[flavor];
    for (const { ratio, description, sampled } of sampling.ratios) {
      expect(bits(sampling.traceIds.map((id) => goTraceIdRatioSampled(id, ratio))), `ratio ${ratio}`).toBe(sampled);
      const sampler = new GoCompatibleTraceIdRatioSampler(ratio);
      expect(sampler.toString()).toBe(description);
      const viaSampler = sampling.traceIds.map(
        (id) => sampler.shouldSample(ROOT_CONTEXT, id).decision === SamplingDecision.RECORD_AND_SAMPLED,
      );
      expect(bits(viaSampler), `sampler ratio ${ratio}`).toBe(sampled);
    }
  });

  it('reads OTEL_TRACES_SAMPLER(_ARG) as the Go SDK does', () => {
    const { samplerFromEnv } = modules[flavor];
    for (const { env, problem, sampled } of envVectors.cases) {
      const result = samplerFromEnv(env);
      expect(result.problem !== undefined, `problem for ${JSON.stringify(env)}: ${result.problem}`).toBe(problem);
      for (const parent of Object.keys(sampled) as Parent[]) {
        const decisions = envVectors.traceIds.map((traceId) => {
          const context =
            parent === 'none'
              ? ROOT_CONTEXT
              : trace.setSpanContext(ROOT_CONTEXT, {
                  traceId,
                  spanId: 'aa01000000000000',
                  traceFlags: parent === 'remote-sampled' ? TraceFlags.SAMPLED : TraceFlags.NONE,
                  isRemote: true,
                });
          const { decision } = result.sampler.shouldSample(context, traceId, 'vector', SpanKind.INTERNAL, {}, []);
          return decision === SamplingDecision.RECORD_AND_SAMPLED;
        });
        expect(bits(decisions), `${JSON.stringify(env)} with parent ${parent}`).toBe(sampled[parent]);
      }
    }
  });

  it('lays out time-ordered trace ids like the vectors', () => {
    const { timeOrderedTraceId } = modules[flavor];
    for (const { ms, random, traceId } of timeOrdered.vectors) {
      expect(timeOrderedTraceId(ms, Buffer.from(random, 'hex')), `ms ${ms}`).toBe(traceId);
    }
    expect(() => timeOrderedTraceId(1, new Uint8Array(8))).toThrow(RangeError);
  });

  it('generates valid, unique, time-prefixed ids', () => {
    const generator = new modules[flavor].TimeOrderedIdGenerator();
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const before = Date.now();
      const traceId = generator.generateTraceId();
      const after = Date.now();
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      const ms = parseInt(traceId.slice(0, 12), 16);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
      seen.add(traceId);
      const spanId = generator.generateSpanId();
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(spanId).not.toBe('0000000000000000');
    }
    expect(seen.size).toBe(1000);
  });
});

it('differs from the stock JS TraceIdRatioBasedSampler (why the bootstrap has its own)', () => {
  const half = sampling.ratios.find((r) => r.ratio === 0.5)!;
  const stock = new TraceIdRatioBasedSampler(0.5);
  const disagreements = sampling.traceIds.filter(
    (id, i) => (stock.shouldSample(ROOT_CONTEXT, id).decision === SamplingDecision.RECORD_AND_SAMPLED) !== (half.sampled[i] === '1'),
  ).length;
  // Independent hashes of the same ids: about half the decisions differ at ratio 0.5.
  expect(disagreements / sampling.traceIds.length).toBeGreaterThan(0.4);
});
