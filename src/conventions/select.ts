import type { Attribute, EnumMember, Event, Metric, Registry } from './model.js';

/** What a run generates. */
export interface Selection {
  /**
   * `stable`: the main entry holds stable names only (TypeScript also gets an `incubating`
   * entry with everything, like the official package). `all`: the main entry holds everything.
   */
  stability: 'stable' | 'all';
  includeDeprecated: boolean;
  /** When set, only the attributes, metrics and events whose names it accepts (see `nameFilter`). */
  only?: (name: string) => boolean;
}

/** One attribute in one entry: whether its own constant is declared there, and which members. */
export interface AttributeEntry {
  attribute: Attribute;
  declare: boolean;
  members: EnumMember[];
}

export interface EntryContent {
  attributes: AttributeEntry[];
  metrics: Metric[];
  events: Event[];
}

/** Items marked `code_generation.exclude`, and deprecated ones unless asked for, are left out. */
function visible(item: { excluded: boolean; deprecated?: unknown }, selection: Selection): boolean {
  return !item.excluded && (selection.includeDeprecated || item.deprecated === undefined);
}

function named(item: Attribute | Metric | Event, selection: Selection): boolean {
  return selection.only === undefined || selection.only('key' in item ? item.key : item.name);
}

/**
 * A filter from names and `prefix.*` patterns (`http.request.method`, `messaging.*`). Exact names
 * that the registry does not define are returned as `unknown`, so a typo does not go unnoticed.
 */
export function nameFilter(patterns: readonly string[], registry: Registry): { accepts: (name: string) => boolean; unknown: string[] } {
  const exact = new Set(patterns.filter((p) => !p.endsWith('*')));
  const prefixes = patterns.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
  const accepts = (name: string) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
  const defined = new Set([...registry.attributes.map((a) => a.key), ...registry.metrics.map((m) => m.name), ...registry.events.map((e) => e.name)]);
  return { accepts, unknown: [...exact].filter((name) => !defined.has(name)) };
}

const isStable = (item: { stability: string }) => item.stability === 'stable';

function entry(
  registry: Registry,
  selection: Selection,
  attributeIn: (a: Attribute) => boolean,
  memberIn: (m: EnumMember) => boolean,
  otherIn: (item: Metric | Event) => boolean,
): EntryContent {
  const attributes: AttributeEntry[] = [];
  for (const attribute of registry.attributes) {
    if (!visible(attribute, selection) || !named(attribute, selection)) continue;
    const declare = attributeIn(attribute);
    const members = attribute.members.filter((m) => visible(m, selection) && memberIn(m));
    if (declare || members.length > 0) attributes.push({ attribute, declare, members });
  }
  return {
    attributes,
    metrics: registry.metrics.filter((m) => visible(m, selection) && named(m, selection) && otherIn(m)),
    events: registry.events.filter((e) => visible(e, selection) && named(e, selection) && otherIn(e)),
  };
}

/**
 * The TypeScript entries, split like `@opentelemetry/semantic-conventions`: `index` holds
 * stable attributes with their stable members, stable metrics and events; `incubating` adds
 * every other attribute, the unstable members of all attributes (stable ones included), and
 * unstable metrics and events.
 */
export function selectTs(registry: Registry, selection: Selection): { index: EntryContent; incubating?: EntryContent } {
  if (selection.stability === 'all') {
    const all = () => true;
    return { index: entry(registry, selection, all, all, all) };
  }
  const unstable = (item: { stability: string }) => !isStable(item);
  return {
    index: entry(registry, selection, isStable, isStable, isStable),
    incubating: entry(registry, selection, unstable, unstable, unstable),
  };
}

/**
 * The Go package, like `go.opentelemetry.io/otel/semconv/vX`: one package, attributes outside
 * the excluded root namespaces; with `stable`, only stable attributes and stable members.
 */
export function selectGo(registry: Registry, selection: Selection, excludedNamespaces: readonly string[]): AttributeEntry[] {
  const inNamespace = (a: Attribute) => !excludedNamespaces.includes(rootNamespace(a.key));
  const wanted = (item: { stability: string }) => selection.stability === 'all' || isStable(item);
  return entry(registry, selection, (a) => inNamespace(a) && wanted(a), wanted, () => false).attributes.filter((e) => e.declare);
}

export function rootNamespace(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? key : key.slice(0, dot);
}
