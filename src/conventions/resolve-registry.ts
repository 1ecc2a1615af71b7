import type { Problem, SourceLocation } from './errors.js';
import type { Attribute, Event, Metric, Registry } from './model.js';
import type { Definitions, RawGroup } from './read-definitions.js';

/**
 * Checks that every name the definitions use exists exactly once (attributes, groups, metrics,
 * events, `ref`, `ref_group`, `extends`, refinements, `renamed_to`) and builds the registry.
 */
export function resolveRegistry(definitions: Definitions, problems: Problem[]): Registry {
  const attributes = uniqueBy(definitions.attributes, (a) => a.key, (a) => a.source, 'attribute', problems);
  for (const attribute of attributes.values()) checkMembers(attribute, problems);

  // v1 groups, v2 attribute groups and v2 refinements share one namespace of ids; v2 spans,
  // entities, metrics and events are named by their own `type` or `name`.
  const ownNamespace = (g: RawGroup) => g.format === 2 && ['span', 'entity', 'metric', 'event'].includes(g.kind);
  const groups = uniqueBy(definitions.groups.filter((g) => !ownNamespace(g)), (g) => g.id, (g) => g.source, 'group', problems);
  const spans = uniqueBy(definitions.groups.filter((g) => g.kind === 'span' && g.format === 2), (g) => g.id, (g) => g.source, 'span', problems);
  uniqueBy(definitions.groups.filter((g) => g.kind === 'entity' && g.format === 2), (g) => g.id, (g) => g.source, 'entity', problems);
  const metricGroups = uniqueBy(
    definitions.groups.filter((g) => g.metric),
    (g) => g.metric!.name,
    (g) => g.metric!.source,
    'metric',
    problems,
  );
  const eventGroups = uniqueBy(
    definitions.groups.filter((g) => g.event),
    (g) => g.event!.name,
    (g) => g.event!.source,
    'event',
    problems,
  );

  const resolver = new GroupResolver(attributes, groups, spans, metricGroups, eventGroups, problems);
  for (const group of definitions.groups) resolver.attributesOf(group);

  for (const rename of definitions.renames) {
    const exists =
      rename.kind === 'attribute'
        ? attributes.has(rename.to)
        : rename.kind === 'metric'
          ? metricGroups.has(rename.to)
          : rename.kind === 'event'
            ? eventGroups.has(rename.to)
            : (rename.attribute?.members ?? []).some((m) => m.id === rename.to);
    if (!exists) {
      const where = rename.kind === 'member' ? ` among the members of '${rename.attribute?.key}'` : '';
      problems.push({ ...rename.at, message: `${rename.kind} '${rename.name}' is renamed to '${rename.to}', which is not defined${where}` });
    }
  }

  const metrics: Metric[] = [];
  for (const group of metricGroups.values()) {
    group.metric!.attributes = resolver.attributesOf(group);
    metrics.push(group.metric!);
  }
  const events: Event[] = [];
  for (const group of eventGroups.values()) {
    group.event!.attributes = resolver.attributesOf(group);
    events.push(group.event!);
  }
  return {
    schemaUrl: definitions.schemaUrl?.value,
    attributes: [...attributes.values()].sort((a, b) => compareNames(a.key, b.key)),
    metrics: metrics.sort((a, b) => compareNames(a.name, b.name)),
    events: events.sort((a, b) => compareNames(a.name, b.name)),
  };
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function where(at: SourceLocation): string {
  return `${at.file}:${at.line}`;
}

/** Keeps the first of each name; every later one is a `duplicate` problem. */
function uniqueBy<T>(
  items: T[],
  name: (item: T) => string,
  source: (item: T) => SourceLocation,
  what: string,
  problems: Problem[],
): Map<string, T> {
  const byName = new Map<string, T>();
  for (const item of items) {
    const key = name(item);
    const first = byName.get(key);
    if (first) {
      problems.push({ ...source(item), message: `duplicate ${what} '${key}' (first defined at ${where(source(first))})` });
    } else byName.set(key, item);
  }
  return byName;
}

function checkMembers(attribute: Attribute, problems: Problem[]): void {
  const seen = new Map<string, SourceLocation>();
  for (const member of attribute.members) {
    const first = seen.get(member.id);
    if (first) {
      problems.push({ ...member.source, message: `attribute '${attribute.key}': duplicate enum member '${member.id}' (first defined at ${where(first)})` });
    } else seen.set(member.id, member.source);
  }
}

/** Attribute lists of groups, following `extends`, refinement `ref` and `ref_group`. */
class GroupResolver {
  private readonly resolved = new Map<RawGroup, string[]>();
  private readonly inProgress: RawGroup[] = [];

  constructor(
    private readonly attributes: Map<string, Attribute>,
    private readonly groups: Map<string, RawGroup>,
    private readonly spans: Map<string, RawGroup>,
    private readonly metrics: Map<string, RawGroup>,
    private readonly events: Map<string, RawGroup>,
    private readonly problems: Problem[],
  ) {}

  attributesOf(group: RawGroup): string[] {
    const done = this.resolved.get(group);
    if (done) return done;
    if (this.inProgress.includes(group)) {
      const cycle = [...this.inProgress.slice(this.inProgress.indexOf(group)), group].map((g) => g.id).join(' → ');
      this.problems.push({ ...group.source, message: `group '${group.id}': cycle in extends/ref_group: ${cycle}` });
      return [];
    }
    this.inProgress.push(group);
    const keys: string[] = [];
    if (group.base) {
      const base = this.findBase(group);
      if (base) keys.push(...this.attributesOf(base));
    }
    for (const entry of group.entries) {
      if (entry.kind === 'ref_group') {
        const target = this.groups.get(entry.id);
        if (!target || target.kind !== 'attribute_group') {
          this.problems.push({ ...entry.at, message: `group '${group.id}': unknown attribute group '${entry.id}' in ref_group` });
        } else keys.push(...this.attributesOf(target));
      } else if (!this.attributes.has(entry.key)) {
        if (entry.kind === 'ref') this.problems.push({ ...entry.at, message: `group '${group.id}': unknown attribute '${entry.key}' in ref` });
      } else keys.push(entry.key);
    }
    this.inProgress.pop();
    const unique = [...new Set(keys)];
    this.resolved.set(group, unique);
    return unique;
  }

  private findBase(group: RawGroup): RawGroup | undefined {
    const { id, at } = group.base!;
    let base: RawGroup | undefined;
    let what: string;
    switch (group.kind) {
      case 'span_refinement':
        what = 'span';
        base = this.spans.get(id) ?? this.groups.get(`span.${id}`) ?? this.groups.get(id);
        break;
      case 'metric_refinement':
        what = 'metric';
        base = this.metrics.get(id);
        break;
      case 'event_refinement':
        what = 'event';
        base = this.events.get(id);
        break;
      default:
        what = 'group';
        base = this.groups.get(id);
    }
    if (!base) {
      const field = group.format === 1 ? 'extends' : 'ref';
      this.problems.push({ ...at, message: `${group.kind.replace('_', ' ')} '${group.id}': unknown ${what} '${id}' in ${field}` });
    }
    return base;
  }
}
