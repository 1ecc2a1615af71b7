import type { Problem, SourceLocation } from './errors.js';

/** Something that becomes one or more identifiers in generated code. */
export interface NamedItem {
  names: string[];
  /** How messages call it: `attribute 'messaging.client_id'`. */
  label: string;
  deprecated: boolean;
  source: SourceLocation;
  /** An enum member's attribute: dropping the attribute drops its members. */
  parent?: NamedItem;
}

export interface CollisionOutcome {
  isDropped(item: NamedItem): boolean;
  /** Collisions that cannot be settled: two names that are both current (or both deprecated). */
  problems: Problem[];
  /** Collisions settled by leaving out the deprecated item. */
  warnings: Problem[];
}

/**
 * Finds identifiers that two items would both declare once case conversion has run
 * (`messaging.client_id` and `messaging.client.id` are both `ATTR_MESSAGING_CLIENT_ID`).
 * Items the model marks `code_generation.exclude` never get here, which is how the official
 * registry settles its known cases; what remains is settled the way those cases are, by keeping
 * the current name and leaving out the deprecated one. Anything else is a problem.
 */
export function resolveCollisions(items: readonly NamedItem[]): CollisionOutcome {
  const byName = new Map<string, NamedItem[]>();
  for (const item of items) {
    for (const name of new Set(item.names)) {
      const list = byName.get(name);
      if (list) list.push(item);
      else byName.set(name, [item]);
    }
  }
  const dropped = new Set<NamedItem>();
  const isDropped = (item: NamedItem): boolean => dropped.has(item) || (item.parent !== undefined && isDropped(item.parent));
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const clashes = new Map<NamedItem, Map<NamedItem, string[]>>();
  const at = (item: NamedItem) => `${item.source.file}:${item.source.line}`;
  for (const [name, all] of byName) {
    const alive = all.filter((item) => !isDropped(item));
    if (alive.length < 2) continue;
    const current = alive.filter((item) => !item.deprecated);
    if (current.length === 1) {
      const keep = current[0]!;
      for (const item of alive) {
        if (item === keep) continue;
        dropped.add(item);
        warnings.push({
          ...item.source,
          message: `${item.label} is left out: it would be named ${name}, like ${keep.label} (${at(keep)}), which is not deprecated`,
        });
      }
      continue;
    }
    const [first, ...rest] = alive;
    for (const item of rest) {
      // An item can clash with the same other item on several identifiers (Go's key and helper).
      const pair = clashes.get(item)?.get(first!);
      if (pair) pair.push(name);
      else clashes.set(item, new Map([...(clashes.get(item) ?? []), [first!, [name]]]));
    }
  }
  for (const [item, others] of clashes) {
    for (const [first, names] of others) {
      problems.push({
        ...item.source,
        message: `name collision: ${item.label} and ${first.label} (${at(first)}) would both be named ${names.join(', ')}; rename one or mark one \`annotations: {code_generation: {exclude: true}}\``,
      });
    }
  }
  return { isDropped, problems, warnings };
}
