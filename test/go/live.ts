// What the live tests of the generated Go service share: free ports, bounded waits, stopping its
// process group, and reading its stdout, where the console exporter's spans and the slog JSON
// log lines go (one JSON object per line each).
import { execFile, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import type { LogFieldsProfile } from '../../src/log-fields.js';
import type { SpanRecord } from '../support/app-process.js';

/** A Go span as stdouttrace writes it (one JSON object per line). */
export interface GoSpan {
  Name: string;
  SpanKind: number;
  SpanContext: { TraceID: string; SpanID: string };
  Parent: { TraceID: string; SpanID: string };
  Attributes: Array<{ Key: string; Value: { Type: string; Value: unknown } }> | null;
}

/** Both sides' spans in one shape. */
export interface Span {
  side: 'node' | 'go';
  name: string;
  kind: 'server' | 'client' | 'producer' | 'consumer' | 'internal';
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

const NODE_KINDS = ['internal', 'server', 'client', 'producer', 'consumer'] as const;
const GO_KINDS = ['internal', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

export function fromNode(span: SpanRecord): Span {
  return { side: 'node', name: span.name, kind: NODE_KINDS[span.kind]!, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId, attributes: span.attributes };
}

export function fromGo(span: GoSpan): Span {
  const parent = span.Parent.SpanID;
  return {
    side: 'go',
    name: span.Name,
    kind: GO_KINDS[span.SpanKind]!,
    traceId: span.SpanContext.TraceID,
    spanId: span.SpanContext.SpanID,
    parentSpanId: /^0+$/.test(parent) ? undefined : parent,
    attributes: Object.fromEntries((span.Attributes ?? []).map((a) => [a.Key, a.Value.Value])),
  };
}

function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The spans on the service's stdout (the console exporter's lines). */
export function goSpansOf(stdout: string): Span[] {
  return jsonLines(stdout)
    .filter((line) => 'SpanContext' in line)
    .map((line) => fromGo(line as unknown as GoSpan));
}

/** The log lines on the service's stdout (slog's JSON handler: time, level, msg, …). */
export function goLogsOf(stdout: string): Array<Record<string, unknown>> {
  return jsonLines(stdout).filter((line) => !('SpanContext' in line) && typeof line.msg === 'string');
}

/** The JSON log lines in a Node process's output (pino's: level, time, msg, …). */
export function logLinesOf(output: string): Array<Record<string, unknown>> {
  return jsonLines(output).filter((line) => typeof line.msg === 'string');
}

export type LogProfile = LogFieldsProfile;

const LOG_ID_KEYS = ['trace_id', 'span_id', 'trace_flags', 'trace.id', 'span.id', 'dd.trace_id', 'dd.span_id'];

/** The id fields of a log line, whichever profile wrote them. */
export function logIdsOf(line: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(line).filter(([key]) => LOG_ID_KEYS.includes(key)));
}

/** The id fields a profile writes for a sampled span, computed here from its hex ids. */
export function expectedLogIds(profile: LogProfile, traceId: string, spanId: string): Record<string, string> {
  if (profile === 'ecs') return { 'trace.id': traceId, 'span.id': spanId };
  if (profile === 'datadog') return { 'dd.trace_id': BigInt(`0x${traceId.slice(16)}`).toString(), 'dd.span_id': BigInt(`0x${spanId}`).toString() };
  return { trace_id: traceId, span_id: spanId, trace_flags: '01' };
}

const run = promisify(execFile);

/** Runs `go args` in cwd (modules resolved as needed); its stdout and stderr, or an error carrying them. */
export async function go(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await run('go', args, { cwd, maxBuffer: 16 << 20, env: { ...process.env, GOFLAGS: '-mod=mod' } });
    return stdout + stderr;
  } catch (error) {
    const failure = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('`go` is not on PATH: the Go build tests need Go 1.26+', { cause: error });
    throw new Error(`go ${args.join(' ')} failed in ${cwd}:\n${failure.stdout ?? ''}${failure.stderr ?? ''}`, { cause: error });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, detail: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Asks the child to stop (SIGTERM), then ends its process group if it has not exited in 10 s.
 * Resolves with its exit code, or undefined when it had to be killed.
 */
export async function stopGroup(child: ChildProcess | undefined): Promise<number | null | undefined> {
  if (!child?.pid) return undefined;
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  child.kill('SIGTERM');
  const code = await exited;
  if (code !== undefined) return code;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Gone in between.
  }
  return undefined;
}
