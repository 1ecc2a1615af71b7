// `--log-fields`: the profile chosen when instrumenting is written into the generated helper as its
// default, and the instrumented app's real pino logger writes the ids under those names;
// OTEL_INSTRUMENT_LOG_FIELDS overrides it at run time, an unknown value falls back (said on stderr).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

/** Logs one line inside a span of the real SDK and prints the span's ids on stderr. */
const RUN = `
const { context, trace } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider());
const logger = require('./src/logger.js');
trace.getTracer('t').startActiveSpan('work', (span) => {
  logger.info('in a span');
  process.stderr.write(JSON.stringify(span.spanContext()) + '\\n');
  span.end();
});
`;

function appDir(): string {
  const dir = tempDir('log-fields-app');
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'package.json'), '{ "name": "log-fields-app", "dependencies": { "pino": "^10.0.0" } }\n');
  writeFileSync(path.join(dir, 'src/logger.js'), "const pino = require('pino');\n\nmodule.exports = pino({ base: undefined });\n");
  writeFileSync(path.join(dir, 'run.js'), RUN);
  return dir;
}

function logLine(dir: string, env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ['run.js'], { cwd: dir, encoding: 'utf8', env: { ...process.env, OTEL_INSTRUMENT_LOG_FIELDS: '', ...env } });
  expect(run.status, run.stderr).toBe(0);
  const stderr = run.stderr.trim().split('\n');
  return { line: JSON.parse(run.stdout.trim()) as Record<string, unknown>, ids: JSON.parse(stderr.at(-1)!) as { traceId: string; spanId: string }, stderr };
}

describe('--log-fields', () => {
  let dir: string;
  beforeAll(() => {
    dir = appDir();
    const run = runCli(['src', '--log-fields', 'datadog'], dir);
    expect(run.status, run.stderr).toBe(0);
  });

  it('rewrites the logger and writes the profile into the helper as its default', () => {
    expect(readFileSync(path.join(dir, 'src/logger.js'), 'utf8')).toContain('tracePino(pino)({ base: undefined })');
    expect(readFileSync(path.join(dir, 'src/otel-instrument/log-fields.cjs'), 'utf8')).toContain("const DEFAULT_LOG_FIELDS = 'datadog';");
  });

  it('the instrumented logger writes the chosen profile', () => {
    const { line, ids } = logLine(dir);
    expect(line['dd.trace_id']).toBe(BigInt(`0x${ids.traceId.slice(16)}`).toString());
    expect(line['dd.span_id']).toBe(BigInt(`0x${ids.spanId}`).toString());
    expect(line).not.toHaveProperty('trace_id');
  });

  it('OTEL_INSTRUMENT_LOG_FIELDS overrides it at run time; an unknown value falls back to it, said on stderr', () => {
    const ecs = logLine(dir, { OTEL_INSTRUMENT_LOG_FIELDS: 'ecs' });
    expect(ecs.line).toMatchObject({ 'trace.id': ecs.ids.traceId, 'span.id': ecs.ids.spanId });
    const unknown = logLine(dir, { OTEL_INSTRUMENT_LOG_FIELDS: 'splunk' });
    expect(unknown.line).toHaveProperty(['dd.span_id']);
    expect(unknown.stderr[0]).toBe('otel-instrument: OTEL_INSTRUMENT_LOG_FIELDS=splunk is not one of otel, ecs, datadog; using datadog');
  });

  it('rejects a profile it does not know', () => {
    const run = runCli(['src', '--log-fields', 'splunk', '--check'], appDir());
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Invalid values:[\s\S]*log-fields/);
  });
});
