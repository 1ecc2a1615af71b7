import type { Transform } from './types.js';

export class UnknownTransformError extends Error {}

/** The transforms `--only` / `--exclude` leave of the ones the caller offers. */
export function selectTransforms(available: readonly Transform[], only?: readonly string[], exclude?: readonly string[]): Transform[] {
  const known = new Set(available.map((t) => t.id));
  for (const id of [...(only ?? []), ...(exclude ?? [])]) {
    if (!known.has(id)) throw new UnknownTransformError(`unknown transform "${id}" (known: ${[...known].join(', ')})`);
  }
  return available.filter((t) => (!only?.length || only.includes(t.id)) && !exclude?.includes(t.id));
}
