import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './golden.js';

/** A finished span as the span collector sends it. */
export interface SpanRecord {
  name: string;
  kind: number;
  /** The instrumentation scope (tracer name) that started the span. */
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  status: { code: number; message?: string };
  events: { name: string; attributes?: Record<string, unknown> }[];
  links: { traceId: string; spanId: string; attributes?: Record<string, unknown> }[];
  startTime: [number, number];
  endTime: [number, number];
}

export interface AppProcess {
  child: ChildProcess;
  /** What the app printed as `READY <json>` once listening (ports and such). */
  ready: Record<string, unknown>;
  spans(): Promise<SpanRecord[]>;
  /** Waits until `predicate` holds for the finished spans (bounded). */
  waitForSpans(predicate: (spans: SpanRecord[]) => boolean, timeoutMs?: number): Promise<SpanRecord[]>;
  reset(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
}

/**
 * Starts an (instrumented) app in a child process with the real SDK preloaded. The app prints
 * one line `READY {"port":1234}` when it is listening; TypeScript apps run through tsx.
 */
export async function startApp(entry: string, options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<AppProcess> {
  const collector = path.join(repoRoot, 'test/support/span-collector.mjs');
  const execArgv = [...(/\.[mc]?tsx?$/.test(entry) ? ['--import', 'tsx'] : []), '--import', collector];
  const child = fork(entry, [], { cwd: path.dirname(entry), execArgv, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not print READY within ${options.timeoutMs ?? 20000} ms:\n${out}`)), options.timeoutMs ?? 20000);
    child.stdout!.on('data', () => {
      const match = /^READY (.*)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(JSON.parse(match[1]!));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code} before READY:\n${out}`));
    });
  });
  let nextId = 0;
  const ask = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => reject(new Error(`no ${type} answer from app`)), 5000);
      const onMessage = (message: { type: string; id: number; spans?: SpanRecord[] }) => {
        if (message.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(message as T);
      };
      child.on('message', onMessage);
      child.send({ type, id });
    });
  const app: AppProcess = {
    child,
    ready,
    spans: async () => (await ask<{ spans: SpanRecord[] }>('spans')).spans,
    async waitForSpans(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const spans = await app.spans();
        if (predicate(spans)) return spans;
        if (Date.now() > deadline) throw new Error(`spans never matched; got:\n${JSON.stringify(spans.map((s) => s.name))}\napp output:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    reset: async () => void (await ask('reset')),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
    output: () => out,
  };
  return app;
}
