// A plan worker (see plan-pool.ts): parses and plans the files the main thread sends, with the
// transforms of the caller's transforms module, and answers each batch with plain data.
import { parentPort, workerData } from 'node:worker_threads';
import { planFile, type PlanTask } from './plan-file.js';
import type { Transform, TransformsModule } from './types.js';

export interface WorkerSetup {
  transformsFrom: TransformsModule;
  /** The run's transforms, by id, in the run's order. */
  ids: string[];
  verifyOutput: boolean;
}

const setup = workerData as WorkerSetup;
const offered = ((await import(setup.transformsFrom.module)) as Record<string, readonly Transform[] | undefined>)[setup.transformsFrom.name];
const transforms = setup.ids.map((id) => {
  const transform = offered?.find((t) => t.id === id);
  if (!transform) throw new Error(`plan worker: no transform "${id}" in ${setup.transformsFrom.module}`);
  return transform;
});

// Loaded: from now on batches are answered at once (the pool sends none before this).
parentPort!.postMessage({ ready: true });
parentPort!.on('message', (batch: { id: number; tasks: PlanTask[] }) => {
  try {
    parentPort!.postMessage({ id: batch.id, planned: batch.tasks.map((task) => planFile(task, transforms, setup.verifyOutput)) });
  } catch (error) {
    parentPort!.postMessage({ id: batch.id, error: { message: (error as Error).message, stack: (error as Error).stack } });
  }
});
