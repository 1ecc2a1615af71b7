import { ModelInvalidError, type Problem } from './errors.js';
import type { Attribute, EnumMember, Event, Metric, Registry } from './model.js';
import { IDENTIFIER, tsNames } from './naming.js';
import { resolveCollisions, type NamedItem } from './resolve-collisions.js';
import { selectTs, type EntryContent, type Selection } from './select.js';
import type { TemplateSet } from './template-set.js';
import { attributeJsDoc, deprecationText, eventJsDoc, exampleText, memberJsDoc, metricJsDoc } from './ts-doc.js';
import { renderTemplates, type LanguageOutput, type RunInfo } from './render-output.js';

/** `'text'` as a TypeScript string literal. */
function tsString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** Text safe inside a template literal. */
function templateLiteralText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

function memberLiteral(value: string | number): string {
  return JSON.stringify(value);
}

function typeName(attribute: Attribute): string {
  const type = attribute.type;
  return type.kind === 'primitive' ? type.name : type.kind === 'template' ? `template[${type.of}]` : 'enum';
}

/** Renders the TypeScript entries (`index.ts`, and `incubating.ts` unless `--stability all`). */
export function renderTs(registry: Registry, selection: Selection, templates: TemplateSet, run: RunInfo): LanguageOutput {
  const entries = selectTs(registry, selection);
  const { isDropped, problems, warnings } = checkNames(entries);
  if (problems.length > 0) throw new ModelInvalidError(problems);

  const counts = { attributes: 0, enumValues: 0, metrics: 0, events: 0 };
  const view = (content: EntryContent | undefined) => {
    if (!content) return null;
    const attributes = content.attributes
      .filter((e) => !isDropped(e.attribute))
      .map((e) => {
        const members = e.members.filter((m) => !isDropped(m)).map((m) => memberView(e.attribute, m));
        return { ...attributeView(e.attribute), declare: e.declare, members };
      })
      .filter((a) => a.declare || a.members.length > 0);
    const metrics = content.metrics.filter((m) => !isDropped(m)).map(metricView);
    const events = content.events.filter((e) => !isDropped(e)).map(eventView);
    counts.attributes += attributes.filter((a) => a.declare).length;
    counts.enumValues += attributes.reduce((n, a) => n + a.members.length, 0);
    counts.metrics += metrics.length;
    counts.events += events.length;
    return { attributes, metrics, events };
  };
  const data = { ...run, index: view(entries.index), incubating: view(entries.incubating) };
  return { files: renderTemplates(templates, data), warnings, counts };
}

function attributeView(attribute: Attribute) {
  const constName = tsNames.attribute(attribute.key);
  return {
    key: attribute.key,
    constName,
    keyLiteral: tsString(attribute.key),
    templatePrefix: templateLiteralText(`${attribute.key}.`),
    isTemplate: attribute.type.kind === 'template',
    type: typeName(attribute),
    brief: attribute.brief,
    note: attribute.note,
    examples: attribute.examples.map(exampleText),
    stability: attribute.stability,
    experimental: attribute.stability !== 'stable',
    deprecated: attribute.deprecated !== undefined,
    deprecation: deprecationText(attribute.deprecated) || null,
    doc: attributeJsDoc(attribute),
  };
}

function memberView(attribute: Attribute, member: EnumMember) {
  const attributeConst = tsNames.attribute(attribute.key);
  return {
    id: member.id,
    constName: tsNames.enumValue(attribute.key, member.id),
    literal: memberLiteral(member.value),
    attributeConst,
    brief: member.brief,
    stability: member.stability,
    experimental: member.stability !== 'stable',
    deprecated: member.deprecated !== undefined,
    deprecation: deprecationText(member.deprecated) || null,
    doc: memberJsDoc(attribute, member, attributeConst),
  };
}

function metricView(metric: Metric) {
  return {
    name: metric.name,
    constName: tsNames.metric(metric.name),
    literal: tsString(metric.name),
    instrument: metric.instrument,
    unit: metric.unit,
    brief: metric.brief,
    note: metric.note,
    stability: metric.stability,
    experimental: metric.stability !== 'stable',
    deprecated: metric.deprecated !== undefined,
    deprecation: deprecationText(metric.deprecated) || null,
    doc: metricJsDoc(metric),
  };
}

function eventView(event: Event) {
  return {
    name: event.name,
    constName: tsNames.event(event.name),
    literal: tsString(event.name),
    brief: event.brief,
    note: event.note,
    stability: event.stability,
    experimental: event.stability !== 'stable',
    deprecated: event.deprecated !== undefined,
    deprecation: deprecationText(event.deprecated) || null,
    doc: eventJsDoc(event),
  };
}

type Named = Attribute | EnumMember | Metric | Event;

/**
 * Every identifier the entries declare, checked for validity and uniqueness across both entries
 * (the incubating entry re-exports the stable one).
 */
function checkNames(entries: { index: EntryContent; incubating?: EntryContent }): {
  isDropped(item: Named): boolean;
  problems: Problem[];
  warnings: Problem[];
} {
  const items = new Map<Named, NamedItem>();
  const problems: Problem[] = [];
  const add = (item: Named, name: string | undefined, label: string, deprecated: boolean, parent?: NamedItem) => {
    let named = items.get(item);
    if (!named) {
      named = { names: [], label, deprecated, source: item.source, parent };
      items.set(item, named);
    }
    if (name !== undefined && !named.names.includes(name)) {
      if (!IDENTIFIER.test(name)) problems.push({ ...item.source, message: `${label}: '${name}' is not a valid TypeScript identifier` });
      named.names.push(name);
    }
    return named;
  };
  for (const content of [entries.index, entries.incubating]) {
    if (!content) continue;
    for (const { attribute, declare, members } of content.attributes) {
      const label = `attribute '${attribute.key}'`;
      const parent = add(attribute, declare ? tsNames.attribute(attribute.key) : undefined, label, attribute.deprecated !== undefined);
      for (const member of members) {
        add(member, tsNames.enumValue(attribute.key, member.id), `enum member '${member.id}' of ${label}`, member.deprecated !== undefined || parent.deprecated, parent);
      }
    }
    for (const metric of content.metrics) add(metric, tsNames.metric(metric.name), `metric '${metric.name}'`, metric.deprecated !== undefined);
    for (const event of content.events) add(event, tsNames.event(event.name), `event '${event.name}'`, event.deprecated !== undefined);
  }
  const outcome = resolveCollisions([...items.values()]);
  return {
    isDropped: (item) => {
      const named = items.get(item);
      return named !== undefined && outcome.isDropped(named);
    },
    problems: [...problems, ...outcome.problems],
    warnings: outcome.warnings,
  };
}
