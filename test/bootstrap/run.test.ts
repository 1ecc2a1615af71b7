// The bootstrap for real: preloaded (--import / --require / tsx) into a tiny app that starts a span and
// calls a local HTTP server, exporting to a local OTLP/HTTP receiver.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BootstrapOptions } from '../../src/codemod/bootstrap.js';
import type { Flavor } from '../../src/render-template.js';
import { FLAVORS, tempDir, writeBootstrap } from './support.js';

/** What the app reports: its span, and the headers the server saw on the outgoing request. */
interface AppResult {
  traceId: string;
  recording: boolean;
  sampled: boolean;
  received: { traceparent: string | null; baggage: string | null };
  /** A meter provider is registered globally (not the API's no-op one). */
  meterProvider: boolean;
}

const APP_BODY = `
async function main() {
  const server = http.createServer((req, res) => {
    res.end(JSON.stringify({ traceparent: req.headers.traceparent ?? null, baggage: req.headers.baggage ?? null }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const span = trace.getTracer('bootstrap-test').startSpan('client-call');
  const ctx = propagation.setBaggage(trace.setSpan(context.active(), span), propagation.createBaggage({ tenant: { value: 'acme' } }));
  const headers = {};
  propagation.inject(ctx, headers);
  const received = await new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port: server.address().port, path: '/', headers, agent: false };
    http.get(options, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
  if (process.argv.includes('--baggage-child')) {
    const entries = { tenant: { value: 'acme' }, plan: { value: 'gold' }, secret: { value: 'hunter2' } };
    trace.getTracer('bootstrap-test').startSpan('with-baggage', {}, propagation.setBaggage(ctx, propagation.createBaggage(entries))).end();
  }
  if (process.argv.includes('--metrics')) {
    const histogram = metrics.getMeter('bootstrap-test').createHistogram('http.server.request.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1] } });
    histogram.record(0.25, { 'http.route': '/items/:id' });
  }
  const { traceId, traceFlags } = span.spanContext();
  const meterProvider = metrics.getMeterProvider().constructor.name !== 'NoopMeterProvider';
  const result = { traceId, recording: span.isRecording(), sampled: (traceFlags & 1) === 1, received, meterProvider };
  span.end();
  server.close();
  console.log('RESULT ' + JSON.stringify(result));
  if (process.argv.includes('--own-sigterm')) {
    // An application's own graceful shutdown: the bootstrap must flush, not kill the process.
    process.on('SIGTERM', () => setTimeout(() => process.exit(0), 1000));
  }
  if (process.argv.includes('--linger')) {
    setInterval(() => {}, 1000);
    console.log('READY');
  }
}
main();
`;
const ESM_APP = `import http from 'node:http';\nimport { context, metrics, propagation, trace } from '@opentelemetry/api';\n${APP_BODY}`;
const CJS_APP = `const http = require('node:http');\nconst { context, metrics, propagation, trace } = require('@opentelemetry/api');\n${APP_BODY}`;

interface Project {
  dir: string;
  /** node arguments that preload the bootstrap, as its header tells users. */
  preload: string[];
  packageName: string;
}

function makeProject(root: string, name: string, flavor: Flavor, options: BootstrapOptions = {}): Project {
  const dir = path.join(root, name);
  mkdirSync(dir);
  const packageName = `fixture-${name}`;
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: packageName, private: true, type: 'module' }));
  const file = path.basename(writeBootstrap(dir, flavor, options));
  writeFileSync(path.join(dir, 'app.mjs'), ESM_APP);
  writeFileSync(path.join(dir, 'app.cjs'), CJS_APP);
  const preload =
    flavor.language === 'ts'
      ? ['--import', 'tsx', '--import', `./${file}`]
      : [flavor.moduleSystem === 'esm' ? '--import' : '--require', `./${file}`];
  return { dir, preload, packageName };
}

interface Export {
  method: string;
  url: string;
  contentType: string;
  body: string;
}

/** A stand-in OTLP/HTTP collector: records every request, answers 200. */
async function startReceiver(): Promise<{ url: string; requests: Export[]; close(): Promise<void> }> {
  const requests: Export[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'] ?? '', body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface OtlpResourceMetrics {
  resource: { attributes: { key: string; value: { stringValue?: string } }[] };
  scopeMetrics: { metrics: { name: string; unit: string; histogram?: { dataPoints: { count: string | number; explicitBounds: number[]; attributes: unknown[] }[] } }[] }[];
}

interface Run {
  result: AppResult;
  exports: Export[];
  stdout: string;
  stderr: string;
  exit: { code: number | null; signal: NodeJS.Signals | null };
}

/**
 * Runs `app` with the project's preload and `env` (on top of a PATH-only environment, so the test
 * runner's OTEL_* never leak in). With `signal`, sends it once the app is idle and waiting.
 */
async function runApp(
  project: Project,
  app: string,
  env: Record<string, string>,
  { signal, appArgs = [] }: { signal?: NodeJS.Signals; appArgs?: string[] } = {},
): Promise<Run> {
  const receiver = await startReceiver();
  try {
    const args = [...project.preload, app, ...appArgs, ...(signal ? ['--linger'] : [])];
    const child = spawn(process.execPath, args, {
      cwd: project.dir,
      // Metrics off unless a test turns them on: the trace tests count the exports they expect.
      env: {
        PATH: process.env['PATH'] ?? '',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: receiver.url.replace(/traces$/, 'metrics'),
        OTEL_METRICS_EXPORTER: 'none',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (signal && /^READY$/m.test(stdout)) child.kill(signal);
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exit = await new Promise<Run['exit']>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`app did not exit within 15 s\n${stdout}\n${stderr}`));
      }, 15_000);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
    });
    const line = /^RESULT (.*)$/m.exec(stdout);
    if (!line) throw new Error(`app printed no RESULT (exit ${JSON.stringify(exit)})\n${stdout}\n${stderr}`);
    return { result: JSON.parse(line[1]!) as AppResult, exports: receiver.requests, stdout, stderr, exit };
  } finally {
    await receiver.close();
  }
}

const projects = {} as Record<'esm' | 'cjs' | 'ts' | 'timeOrdered', Project>;

beforeAll(() => {
  const root = tempDir('bootstrap-run');
  projects.esm = makeProject(root, 'esm', FLAVORS.esm);
  projects.cjs = makeProject(root, 'cjs', FLAVORS.cjs);
  projects.ts = makeProject(root, 'ts', FLAVORS.ts);
  projects.timeOrdered = makeProject(root, 'time-ordered', FLAVORS.esm, { idGenerator: 'time-ordered' });
});


function expectSampledTraceparent(run: Run): void {
  expect(run.result.sampled).toBe(true);
  expect(run.result.received.traceparent).toMatch(new RegExp(`^00-${run.result.traceId}-[0-9a-f]{16}-01$`));
  expect(run.result.received.baggage).toBe('tenant=acme');
}

function expectOneExport(run: Run, serviceName: string): void {
  expect(run.exports).toHaveLength(1);
  const [sent] = run.exports;
  expect(sent).toMatchObject({ method: 'POST', url: '/v1/traces', contentType: 'application/json' });
  const resourceSpans = (JSON.parse(sent!.body) as { resourceSpans: unknown[] }).resourceSpans;
  expect(resourceSpans).toHaveLength(1);
  expect(resourceSpans[0]).toMatchObject({
    resource: { attributes: expect.arrayContaining([{ key: 'service.name', value: { stringValue: serviceName } }]) },
    scopeSpans: [{ spans: [expect.objectContaining({ name: 'client-call', traceId: run.result.traceId })] }],
  });
}

describe.concurrent('the rendered bootstrap, preloaded into an app', () => {
  it('ESM (--import): propagates W3C context and baggage, exports to OTLP/HTTP with the package.json name', async () => {
    const run = await runApp(projects.esm, 'app.mjs', {});
    expect(run.exit).toEqual({ code: 0, signal: null });
    expect(run.stderr).toBe('');
    expectSampledTraceparent(run);
    expectOneExport(run, 'fixture-esm');
  });

  it('CJS (--require): OTEL_SERVICE_NAME wins over package.json', async () => {
    const run = await runApp(projects.cjs, 'app.cjs', { OTEL_SERVICE_NAME: 'checkout' });
    expect(run.exit).toEqual({ code: 0, signal: null });
    expectSampledTraceparent(run);
    expectOneExport(run, 'checkout');
    expect(run.exports[0]!.body).not.toContain('fixture-cjs');
  });

  it('TypeScript (tsx): exports like the JavaScript flavors', async () => {
    const run = await runApp(projects.ts, 'app.mjs', {});
    expect(run.exit).toEqual({ code: 0, signal: null });
    expectSampledTraceparent(run);
    expectOneExport(run, 'fixture-ts');
  });

  it('OTEL_TRACES_EXPORTER=none: still samples and propagates, sends nothing', async () => {
    const run = await runApp(projects.esm, 'app.cjs', { OTEL_TRACES_EXPORTER: 'none' });
    expect(run.exit).toEqual({ code: 0, signal: null });
    expectSampledTraceparent(run);
    expect(run.exports).toEqual([]);
  });

  it('OTEL_TRACES_SAMPLER=traceidratio with ratio 0: propagates an unsampled context, sends nothing', async () => {
    const run = await runApp(projects.cjs, 'app.mjs', { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' });
    expect(run.result).toMatchObject({ sampled: false, recording: false });
    expect(run.result.received.traceparent).toMatch(/-00$/);
    expect(run.exports).toEqual([]);
  });

  it('an unknown sampler warns and falls back to parentbased_always_on, as in Go', async () => {
    const run = await runApp(projects.cjs, 'app.cjs', { OTEL_TRACES_SAMPLER: 'xray' });
    expect(run.stderr).toContain('otel-bootstrap: unsupported OTEL_TRACES_SAMPLER "xray"');
    expectSampledTraceparent(run);
    expect(run.exports).toHaveLength(1);
  });

  it('OTEL_SDK_DISABLED=true: registers nothing', async () => {
    const run = await runApp(projects.esm, 'app.mjs', { OTEL_SDK_DISABLED: 'true' });
    expect(run.exit).toEqual({ code: 0, signal: null });
    expect(run.result).toMatchObject({ recording: false, received: { traceparent: null, baggage: null } });
    expect(run.exports).toEqual([]);
  });

  it('SIGTERM flushes, then exits by the signal; time-ordered ids start with the clock', async () => {
    const before = Date.now();
    const run = await runApp(projects.timeOrdered, 'app.mjs', {}, { signal: 'SIGTERM' });
    expect(run.exit).toEqual({ code: null, signal: 'SIGTERM' });
    expectOneExport(run, 'fixture-time-ordered');
    const ms = parseInt(run.result.traceId.slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });

  /** The attributes of the exported span started in a context with baggage `tenant`, `plan` and `secret`. */
  const baggageChildAttributes = (run: Run) => {
    const body = JSON.parse(run.exports[0]!.body) as { resourceSpans: { scopeSpans: { spans: { name: string; attributes: { key: string; value: unknown }[] }[] }[] }[] };
    const spans = body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    return Object.fromEntries(spans.find((s) => s.name === 'with-baggage')!.attributes.map((a) => [a.key, a.value]));
  };

  it('OTEL_INSTRUMENTATION_BAGGAGE_SPAN_ATTRIBUTES: the listed baggage keys, and only those, become span attributes', async () => {
    const run = await runApp(projects.esm, 'app.mjs', { OTEL_INSTRUMENTATION_BAGGAGE_SPAN_ATTRIBUTES: ' tenant, plan,Secret' }, { appArgs: ['--baggage-child'] });
    expect(run.exit).toEqual({ code: 0, signal: null });
    expect(baggageChildAttributes(run)).toEqual({ tenant: { stringValue: 'acme' }, plan: { stringValue: 'gold' } });
  });

  it('baggage: unset copies no key', async () => {
    const run = await runApp(projects.cjs, 'app.cjs', {}, { appArgs: ['--baggage-child'] });
    expect(baggageChildAttributes(run)).toEqual({});
  });

  /** The histogram points of the OTLP/HTTP JSON metrics exports. */
  const exportedHistograms = (run: Run) =>
    run.exports
      .filter((e) => e.url === '/v1/metrics')
      .flatMap((e) => (JSON.parse(e.body) as { resourceMetrics: OtlpResourceMetrics[] }).resourceMetrics)
      .flatMap((r) =>
        r.scopeMetrics.flatMap((s) =>
          s.metrics.flatMap((m) =>
            (m.histogram?.dataPoints ?? []).map((p) => ({
              service: r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
              name: m.name,
              unit: m.unit,
              count: Number(p.count),
              bounds: p.explicitBounds,
              attributes: p.attributes,
            })),
          ),
        ),
      );

  it('OTEL_METRICS_EXPORTER=otlp: a global meter provider whose histograms are flushed at exit to OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', async () => {
    // The default interval (60 s) is longer than the run: only the exit flush can export.
    const run = await runApp(projects.esm, 'app.mjs', { OTEL_METRICS_EXPORTER: 'otlp' }, { appArgs: ['--metrics'] });
    expect(run.exit).toEqual({ code: 0, signal: null });
    expect(run.stderr).toBe('');
    expect(run.result.meterProvider).toBe(true);
    expect(run.exports.filter((e) => e.url === '/v1/metrics').map((e) => e.contentType)).toEqual(['application/json']);
    expect(exportedHistograms(run)).toEqual([
      { service: 'fixture-esm', name: 'http.server.request.duration', unit: 's', count: 1, bounds: [0.1, 1], attributes: [{ key: 'http.route', value: { stringValue: '/items/:id' } }] },
    ]);
  });

  it('unset (otlp, as in Go) and SIGTERM: the metrics are flushed before the signal exits', async () => {
    const run = await runApp(projects.cjs, 'app.cjs', { OTEL_METRICS_EXPORTER: '' }, { signal: 'SIGTERM', appArgs: ['--metrics'] });
    expect(run.exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(exportedHistograms(run).map((p) => [p.service, p.name, p.count])).toEqual([['fixture-cjs', 'http.server.request.duration', 1]]);
  });

  it('OTEL_METRICS_EXPORTER=none: no meter provider at all (the helpers time nothing), traces as before', async () => {
    const run = await runApp(projects.esm, 'app.mjs', { OTEL_METRICS_EXPORTER: 'none' }, { appArgs: ['--metrics'] });
    expect(run.result.meterProvider).toBe(false);
    expectOneExport(run, 'fixture-esm');
  });

  it('OTEL_METRICS_EXPORTER=console with a bad interval: warns, prints the histogram at exit, sends nothing', async () => {
    const run = await runApp(projects.cjs, 'app.mjs', { OTEL_METRICS_EXPORTER: 'console', OTEL_METRIC_EXPORT_INTERVAL: 'soon', OTEL_TRACES_EXPORTER: 'none' }, { appArgs: ['--metrics'] });
    expect(run.exit).toEqual({ code: 0, signal: null });
    expect(run.stderr).toContain('otel-bootstrap: OTEL_METRIC_EXPORT_INTERVAL "soon" is not a positive number of milliseconds, using 60000');
    expect(run.stdout).toContain("name: 'http.server.request.duration'");
    expect(run.exports).toEqual([]);
  });

  it('SIGTERM with an application handler: flushes, and leaves the exit to the application', async () => {
    const run = await runApp(projects.cjs, 'app.cjs', {}, { signal: 'SIGTERM', appArgs: ['--own-sigterm'] });
    expect(run.exit).toEqual({ code: 0, signal: null });
    expectOneExport(run, 'fixture-cjs');
  });
});
