import path from 'node:path';
import { packageRoot } from '../package-root.js';
import { ModelInvalidError, type Problem } from './errors.js';
import { loadModel, readModel } from './load-model.js';
import type { Registry } from './model.js';
import type { Definitions } from './read-definitions.js';
import { resolveRegistry } from './resolve-registry.js';

/** The semantic-conventions version shipped in the package (semconv/v<version>/). */
export const EMBEDDED_VERSION = '1.44.0';

/** The model shipped in the package: what `--spec` (and `go --semconv-spec`) default to. */
export const EMBEDDED_MODEL_DIR = path.join(packageRoot, 'semconv', `v${EMBEDDED_VERSION}`);

/**
 * The registry that `--spec` directories stand for:
 * - none: the embedded model;
 * - directories that define every name they refer to (another version's `model/`, a registry
 *   of its own): read alone, the embedded model is not used;
 * - directories that refer to names they do not define (`ref`, `extends`, `ref_group`,
 *   `renamed_to` of official attributes and groups) and define none of the embedded model's
 *   attributes or groups: read on top of the embedded model, as `--spec <embedded> --spec <dir>`.
 *   One that redefines official names is a model of its own, and its problems are its own.
 *
 * @throws ModelInvalidError with every problem at its `file:line` (of the directories alone, or
 *   of the directories on top of the embedded model when that is how they were read).
 */
export async function loadSpecModel(specDirs: readonly string[]): Promise<Registry> {
  if (specDirs.length === 0) return loadModel([EMBEDDED_MODEL_DIR]);
  const own = await readModel(specDirs);
  const alone = resolve(own.definitions, own.problems);
  if (alone.problems.length === 0) return alone.registry;
  const embedded = await readModel([EMBEDDED_MODEL_DIR]);
  if (embedded.problems.length > 0 || redefines(own.definitions, embedded.definitions)) throw new ModelInvalidError(alone.problems);
  const combined = resolve(combine(embedded.definitions, own.definitions), own.problems);
  if (combined.problems.length > 0) throw new ModelInvalidError(combined.problems);
  return combined.registry;
}

function resolve(definitions: Definitions, readProblems: readonly Problem[]): { registry: Registry; problems: Problem[] } {
  const problems = [...readProblems];
  const registry = resolveRegistry(definitions, problems);
  return { registry, problems };
}

/** Whether `own` defines an attribute or a group that `base` defines too. */
function redefines(own: Definitions, base: Definitions): boolean {
  const attributes = new Set(base.attributes.map((a) => a.key));
  const groups = new Set(base.groups.map((g) => `${g.kind}:${g.id}`));
  return own.attributes.some((a) => attributes.has(a.key)) || own.groups.some((g) => groups.has(`${g.kind}:${g.id}`));
}

/** `base` then `own`, as one model; the schema URL is `own`'s when it has a manifest. */
function combine(base: Definitions, own: Definitions): Definitions {
  return {
    attributes: [...base.attributes, ...own.attributes],
    groups: [...base.groups, ...own.groups],
    renames: [...base.renames, ...own.renames],
    ...((own.schemaUrl ?? base.schemaUrl) ? { schemaUrl: own.schemaUrl ?? base.schemaUrl } : {}),
  };
}
