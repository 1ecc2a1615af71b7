import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { planFile, type PlanTask, type PlannedFile } from './plan-file.js';
import type { Transform, TransformsModule } from './types.js';
import type { WorkerSetup } from './plan-worker.js';

/**
 * From how many files to parse a run plans them on more threads. A worker first loads
 * TypeScript and the transforms, as the main thread did; it pays only when the files to parse
 * outweigh that and a core is free for it. On the 2-core development machine under the load of
 * other jobs (bench/codemod.mjs BENCH_SWEEP, docs/benchmarks.md), a worker made `--check` no
 * faster at 100, 250 or 500 files to parse: below 1000 the main thread works alone.
 * OTEL_INSTRUMENT_POOL_THRESHOLD overrides it (0: never).
 */
export const POOL_THRESHOLD = 1000;

/** Files per message: large enough that messages cost little, small enough that threads finish together. */
const BATCH = 8;

export function poolThreshold(env: Record<string, string | undefined> = process.env): number {
  const value = env['OTEL_INSTRUMENT_POOL_THRESHOLD'];
  if (value === undefined || value.trim() === '' || Number.isNaN(Number(value))) return POOL_THRESHOLD;
  const n = Number(value);
  return n <= 0 ? Infinity : n;
}

/** The worker script beside this module; none when running from TypeScript sources (tests), which Node cannot load in a worker. */
function workerScript(): URL | undefined {
  const url = new URL('./plan-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') ? url : undefined;
}

/**
 * Plans files on the main thread and on worker threads (the machine's cores less one), started
 * at once so that they load while the main thread still reads: `start` when the run knows it has
 * enough files to parse, `plan` once all are known. Results come back in task order, and are the
 * ones the main thread alone would give (the same planFile runs everywhere).
 */
export class PlanPool {
  private readonly workers: Worker[] = [];
  /** Each worker's loading (TypeScript, the transforms): settled when it can take files. */
  private readonly ready: Promise<void>[] = [];
  private readonly pending = new Map<number, { resolve: (planned: PlannedFile[]) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  /** How many files the workers planned (the rest, the main thread). */
  plannedByWorkers = 0;
  private failure: Error | undefined;

  private constructor(script: URL, setup: WorkerSetup, count: number) {
    for (let i = 0; i < count; i++) {
      // The main thread's stack (V8's default ~984 KB; a worker's limit is its stack less 192 KB),
      // so a deeply nested file fails, or not, wherever it is planned.
      const worker = new Worker(script, { workerData: setup, resourceLimits: { stackSizeMb: 1.15 } });
      let loaded!: () => void;
      this.ready.push(new Promise((resolve) => (loaded = resolve)));
      worker.on('message', (message: { ready?: true; id: number; planned?: PlannedFile[]; error?: { message: string; stack?: string } }) => {
        if (message.ready) return loaded();
        const waiting = this.pending.get(message.id)!;
        this.pending.delete(message.id);
        if (message.planned) waiting.resolve(message.planned);
        else waiting.reject(Object.assign(new Error(message.error!.message), { stack: message.error!.stack }));
      });
      worker.on('error', (error) => {
        this.failure = error;
        for (const waiting of this.pending.values()) waiting.reject(error);
        this.pending.clear();
      });
      this.workers.push(worker);
    }
  }

  /** A pool, or none when the caller gave no importable transforms or the machine has one core. */
  static start(transforms: readonly Transform[], transformsFrom: TransformsModule | undefined, verifyOutput: boolean): PlanPool | undefined {
    const script = workerScript();
    const count = Math.min(os.availableParallelism() - 1, 3);
    if (!script || !transformsFrom || count < 1) return undefined;
    return new PlanPool(script, { transformsFrom, ids: transforms.map((t) => t.id), verifyOutput }, count);
  }

  private send(worker: Worker, tasks: PlanTask[]): Promise<PlannedFile[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, tasks });
    });
  }

  /**
   * Plans `tasks`: the main thread works from the front, yielding between batches; each worker,
   * once loaded, takes batches from the end as it finishes one. A worker still loading when the
   * main thread is done gets nothing (and is not waited for): on a busy machine, or with few
   * files, the run then costs what one thread costs, plus that loading.
   */
  async plan(tasks: readonly PlanTask[], transforms: readonly Transform[], verifyOutput: boolean, onPlanned?: (count: number) => void): Promise<PlannedFile[]> {
    const results: PlannedFile[] = new Array(tasks.length);
    let front = 0;
    let back = tasks.length;
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    const feed = (worker: Worker): void => {
      if (back <= front || failure) return;
      const end = back;
      back = Math.max(front, back - BATCH);
      const start = back;
      const batch: Promise<void> = this.send(worker, tasks.slice(start, end)).then(
        (planned) => {
          planned.forEach((p, i) => (results[start + i] = p));
          this.plannedByWorkers += planned.length;
          onPlanned?.(planned.length);
          inFlight.delete(batch);
          feed(worker);
        },
        (error: unknown) => {
          failure ??= error;
          inFlight.delete(batch);
        },
      );
      inFlight.add(batch);
    };
    this.workers.forEach((worker, i) => void this.ready[i]!.then(() => feed(worker)));
    while (front < back) {
      const end = Math.min(back, front + BATCH);
      const count = end - front;
      for (; front < end; front++) results[front] = planFile(tasks[front]!, transforms, verifyOutput);
      onPlanned?.(count);
      await new Promise((resolve) => setImmediate(resolve));
      if (failure) throw failure;
    }
    // Only batches already sent are waited for; no new one starts (nothing is left).
    await Promise.all([...inFlight]);
    if (failure) throw failure;
    return results;
  }

  /** Settles when every worker has loaded. */
  async whenReady(): Promise<void> {
    await Promise.all(this.ready);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
