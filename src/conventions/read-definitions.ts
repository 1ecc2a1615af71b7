import type { Problem, SourceLocation } from './errors.js';
import {
  INSTRUMENTS,
  PRIMITIVE_TYPES,
  STABILITIES,
  type Attribute,
  type AttributeType,
  type Deprecation,
  type EnumMember,
  type Event,
  type Instrument,
  type Metric,
  type PrimitiveType,
  type Stability,
} from './model.js';
import type { YamlFile } from './read-yaml.js';
import { isYamlMap, YamlFields } from './yaml-fields.js';

/** How a group lists an attribute: by reference, by including a group, or by defining it. */
export type RawEntry =
  | { kind: 'ref'; key: string; at: SourceLocation }
  | { kind: 'ref_group'; id: string; at: SourceLocation }
  | { kind: 'define'; key: string; at: SourceLocation };

export type GroupKind =
  | 'attribute_group'
  | 'span'
  | 'metric'
  | 'event'
  | 'entity'
  | 'span_refinement'
  | 'metric_refinement'
  | 'event_refinement';

/** A group as written, before its references are resolved. */
export interface RawGroup {
  /** v1 `id`; v2: the attribute group `id`, span/entity `type`, metric/event `name`, refinement `id`. */
  id: string;
  kind: GroupKind;
  format: 1 | 2;
  /** v1 `extends`, or the `ref` of a v2 refinement: the group this one starts from. */
  base?: { id: string; at: SourceLocation };
  entries: RawEntry[];
  source: SourceLocation;
  metric?: Metric;
  event?: Event;
}

/** A `renamed_to` that must point at something that exists. */
export interface Rename {
  kind: 'attribute' | 'member' | 'metric' | 'event';
  name: string;
  to: string;
  at: SourceLocation;
  /** For members: the attribute whose members the new id must be among. */
  attribute?: Attribute;
}

/** Everything read from the model files, in file order. */
export interface Definitions {
  attributes: Attribute[];
  groups: RawGroup[];
  renames: Rename[];
  schemaUrl?: { value: string; at: SourceLocation };
}

const V1_GROUP_TYPES: Record<string, GroupKind> = {
  attribute_group: 'attribute_group',
  span: 'span',
  metric: 'metric',
  event: 'event',
  entity: 'entity',
  resource: 'entity',
  scope: 'attribute_group',
};

const V2_SECTIONS: Record<string, { kind: GroupKind; idField: string; baseField?: string }> = {
  attribute_groups: { kind: 'attribute_group', idField: 'id' },
  spans: { kind: 'span', idField: 'type' },
  metrics: { kind: 'metric', idField: 'name' },
  events: { kind: 'event', idField: 'name' },
  entities: { kind: 'entity', idField: 'type' },
  span_refinements: { kind: 'span_refinement', idField: 'id', baseField: 'ref' },
  metric_refinements: { kind: 'metric_refinement', idField: 'id', baseField: 'ref' },
  event_refinements: { kind: 'event_refinement', idField: 'id', baseField: 'ref' },
};

export const V2_FORMAT = 'definition/2';

/** Reads the definitions of one model file (either format) into `into`. */
export function readDefinitions(yaml: YamlFile, into: Definitions, problems: Problem[]): void {
  if (!isYamlMap(yaml.data)) {
    problems.push({ file: yaml.file, line: 1, message: 'expected a mapping with `groups:` or `file_format: definition/2`' });
    return;
  }
  const file = new YamlFields(yaml, yaml.data, problems);
  const reader = new DefinitionReader(into, problems);
  if (file.has('file_format')) {
    const format = file.text('file_format', 'file');
    if (format !== V2_FORMAT) {
      file.problem(`unsupported file_format '${String(file.raw('file_format'))}' (expected '${V2_FORMAT}')`, 'file_format');
      return;
    }
    reader.readV2(file);
  } else if (file.has('groups')) {
    reader.readV1(file);
  } else if (file.has('schema_url')) {
    const value = file.text('schema_url', 'manifest');
    if (value !== undefined) into.schemaUrl = { value, at: file.at('schema_url') };
  } else if (Object.keys(yaml.data).length > 0) {
    problems.push({ file: yaml.file, line: 1, message: 'expected `groups:` or `file_format: definition/2`' });
  }
}

class DefinitionReader {
  constructor(
    private readonly into: Definitions,
    private readonly problems: Problem[],
  ) {}

  readV1(file: YamlFields): void {
    for (const group of file.maps('groups', 'groups')) {
      const id = group.requiredText('id', 'group');
      if (id === undefined) continue;
      const what = `group '${id}'`;
      const typeName = group.requiredText('type', what);
      if (typeName === undefined) continue;
      const kind = V1_GROUP_TYPES[typeName];
      if (!kind) {
        group.problem(`${what}: unknown group type '${typeName}' (expected ${Object.keys(V1_GROUP_TYPES).join(', ')})`, 'type');
        continue;
      }
      const raw: RawGroup = { id, kind, format: 1, entries: [], source: group.at() };
      const base = group.text('extends', what);
      if (base !== undefined) raw.base = { id: base, at: group.at('extends') };
      for (const entry of group.maps('attributes', what)) {
        if (entry.has('ref')) raw.entries.push(this.readRef(entry, what));
        else if (entry.has('id')) {
          const attribute = this.readAttribute(entry, 'id');
          if (attribute) raw.entries.push({ kind: 'define', key: attribute.key, at: attribute.source });
        } else entry.problem(`${what}: an attribute needs \`id\` (to define it) or \`ref\` (to use it)`);
      }
      if (kind === 'metric') {
        const name = group.requiredText('metric_name', what);
        if (name !== undefined) raw.metric = this.readMetric(group, name, what);
      }
      if (kind === 'event') {
        const name = group.text('name', what) ?? id.replace(/^event\./, '');
        raw.event = this.readEvent(group, name, what);
      }
      this.into.groups.push(raw);
    }
  }

  readV2(file: YamlFields): void {
    for (const definition of file.maps('attributes', 'attributes')) this.readAttribute(definition, 'key');
    for (const [section, shape] of Object.entries(V2_SECTIONS)) {
      for (const group of file.maps(section, section)) {
        const id = group.requiredText(shape.idField, section);
        if (id === undefined) continue;
        const what = `${section.replace(/s$/, '')} '${id}'`;
        const raw: RawGroup = { id, kind: shape.kind, format: 2, entries: [], source: group.at() };
        if (shape.baseField) {
          const base = group.requiredText(shape.baseField, what);
          if (base !== undefined) raw.base = { id: base, at: group.at(shape.baseField) };
        }
        const lists = shape.kind === 'entity' ? ['identity', 'description', 'attributes'] : ['attributes'];
        for (const list of lists) {
          for (const entry of group.maps(list, what)) {
            if (entry.has('ref')) raw.entries.push(this.readRef(entry, what));
            else if (entry.has('ref_group')) {
              const target = entry.text('ref_group', what);
              if (target !== undefined) raw.entries.push({ kind: 'ref_group', id: target, at: entry.at('ref_group') });
            } else entry.problem(`${what}: an attribute entry needs \`ref\` or \`ref_group\` (attributes are defined under the top-level \`attributes:\`)`);
          }
        }
        if (shape.kind === 'metric') raw.metric = this.readMetric(group, id, what);
        if (shape.kind === 'event') raw.event = this.readEvent(group, id, what);
        this.into.groups.push(raw);
      }
    }
  }

  private readRef(entry: YamlFields, what: string): RawEntry {
    const key = entry.text('ref', what) ?? '';
    for (const forbidden of ['id', 'key', 'type']) {
      if (entry.has(forbidden)) entry.problem(`${what}: ref '${key}' must not set \`${forbidden}\` (it is defined once, in the registry)`, forbidden);
    }
    return { kind: 'ref', key, at: entry.at('ref') };
  }

  private readAttribute(definition: YamlFields, keyField: 'id' | 'key'): Attribute | undefined {
    const key = definition.requiredText(keyField, 'attribute');
    if (key === undefined) return undefined;
    const what = `attribute '${key}'`;
    const type = this.readType(definition, what);
    const stability = this.readStability(definition, what, undefined);
    if (!type || !stability) return undefined;
    const attribute: Attribute = {
      key,
      type,
      brief: (definition.text('brief', what) ?? '').trim(),
      note: (definition.text('note', what) ?? '').trim(),
      examples: readExamples(definition.raw('examples')),
      stability,
      deprecated: this.readDeprecation(definition, what, 'attribute', key),
      members: [],
      excluded: isExcluded(definition),
      source: definition.at(keyField),
    };
    if (type.kind === 'enum') attribute.members = this.readMembers(definition, attribute);
    this.into.attributes.push(attribute);
    return attribute;
  }

  private readType(definition: YamlFields, what: string): AttributeType | undefined {
    if (!definition.has('type')) {
      definition.problem(`${what}: missing \`type\``);
      return undefined;
    }
    const raw = definition.raw('type');
    if (typeof raw === 'string') {
      if ((PRIMITIVE_TYPES as readonly string[]).includes(raw)) return { kind: 'primitive', name: raw as PrimitiveType };
      const template = /^template\[(.+)\]$/.exec(raw);
      if (template && template[1] !== 'any' && (PRIMITIVE_TYPES as readonly string[]).includes(template[1]!)) {
        return { kind: 'template', of: template[1] as Exclude<PrimitiveType, 'any'> };
      }
      definition.problem(
        `${what}: bad type '${raw}' (expected ${PRIMITIVE_TYPES.join(', ')}, template[<type>] or an enum with \`members\`)`,
        'type',
      );
      return undefined;
    }
    const type = definition.map('type', what);
    if (!type) return undefined;
    const members = type.raw('members');
    if (!Array.isArray(members) || members.length === 0) {
      type.problem(`${what}: an enum type needs a non-empty \`members\` list`, type.has('members') ? 'members' : undefined);
      return undefined;
    }
    const values = members.map((m) => (isYamlMap(m) ? m.value : undefined));
    if (values.every((v) => typeof v === 'string')) return { kind: 'enum', valueType: 'string' };
    if (values.every((v) => typeof v === 'number')) {
      return { kind: 'enum', valueType: values.every((v) => Number.isInteger(v)) ? 'int' : 'double' };
    }
    const bad = values.findIndex((v) => typeof v !== typeof values[0] || (typeof v !== 'string' && typeof v !== 'number'));
    const member = isYamlMap(members[bad]) ? new YamlFields(definition.yaml, members[bad], this.problems) : type;
    member.problem(`${what}: enum member values must all be strings or all be numbers`, member === type ? undefined : 'value');
    return undefined;
  }

  private readMembers(definition: YamlFields, attribute: Attribute): EnumMember[] {
    const what = `attribute '${attribute.key}'`;
    const type = definition.map('type', what)!;
    const members: EnumMember[] = [];
    for (const member of type.maps('members', what)) {
      const id = member.requiredText('id', `${what} member`);
      if (id === undefined) continue;
      const memberWhat = `${what} member '${id}'`;
      const value = member.raw('value');
      if (typeof value !== 'string' && typeof value !== 'number') {
        member.problem(`${memberWhat}: \`value\` must be a string or a number`, member.has('value') ? 'value' : undefined);
        continue;
      }
      const enumMember: EnumMember = {
        id,
        value,
        brief: (member.text('brief', memberWhat) ?? '').trim(),
        note: (member.text('note', memberWhat) ?? '').trim(),
        stability: this.readStability(member, memberWhat, attribute.stability) ?? attribute.stability,
        deprecated: undefined,
        excluded: isExcluded(member),
        source: member.at('id'),
      };
      enumMember.deprecated = this.readDeprecation(member, memberWhat, 'member', id, attribute);
      members.push(enumMember);
    }
    return members;
  }

  private readMetric(group: YamlFields, name: string, what: string): Metric | undefined {
    const instrument = group.requiredText('instrument', what);
    if (instrument !== undefined && !(INSTRUMENTS as readonly string[]).includes(instrument)) {
      group.problem(`${what}: unknown instrument '${instrument}' (expected ${INSTRUMENTS.join(', ')})`, 'instrument');
    }
    const unit = group.requiredText('unit', what);
    const stability = this.readStability(group, what, undefined);
    if (instrument === undefined || unit === undefined || !stability) return undefined;
    return {
      name,
      brief: (group.text('brief', what) ?? '').trim(),
      note: (group.text('note', what) ?? '').trim(),
      instrument: instrument as Instrument,
      unit,
      stability,
      deprecated: this.readDeprecation(group, what, 'metric', name),
      excluded: isExcluded(group),
      attributes: [],
      source: group.at(group.has('metric_name') ? 'metric_name' : group.has('name') ? 'name' : undefined),
    };
  }

  private readEvent(group: YamlFields, name: string, what: string): Event | undefined {
    const stability = this.readStability(group, what, undefined);
    if (!stability) return undefined;
    return {
      name,
      brief: (group.text('brief', what) ?? '').trim(),
      note: (group.text('note', what) ?? '').trim(),
      stability,
      deprecated: this.readDeprecation(group, what, 'event', name),
      excluded: isExcluded(group),
      attributes: [],
      source: group.at(group.has('name') ? 'name' : undefined),
    };
  }

  /** `fallback` given: the field is optional (enum members inherit their attribute's). */
  private readStability(fields: YamlFields, what: string, fallback: Stability | undefined): Stability | undefined {
    const value = fields.text('stability', what);
    if (value === undefined) {
      if (fallback === undefined) fields.problem(`${what}: missing \`stability\` (one of ${STABILITIES.join(', ')})`);
      return fallback;
    }
    if (!STABILITIES.includes(value)) {
      fields.problem(`${what}: unknown stability '${value}' (expected ${STABILITIES.join(', ')})`, 'stability');
      return fallback;
    }
    return value === 'experimental' ? 'development' : (value as Stability);
  }

  private readDeprecation(
    fields: YamlFields,
    what: string,
    kind: Rename['kind'],
    name: string,
    attribute?: Attribute,
  ): Deprecation | undefined {
    if (!fields.has('deprecated')) return undefined;
    const raw = fields.raw('deprecated');
    if (typeof raw === 'string') return { reason: 'uncategorized', note: raw.trim() };
    const deprecated = fields.map('deprecated', what);
    if (!deprecated) return undefined;
    const reason = deprecated.requiredText('reason', `${what}: deprecated`);
    const note = deprecated.text('note', `${what}: deprecated`)?.trim();
    if (reason === 'renamed') {
      const to = deprecated.requiredText('renamed_to', `${what}: deprecated`);
      if (to === undefined) return undefined;
      this.into.renames.push({ kind, name, to, at: deprecated.at('renamed_to'), attribute });
      return { reason, renamedTo: to, note: note || `Replaced by \`${to}\`.` };
    }
    if (reason === 'obsoleted') return { reason, note: note || 'Obsoleted.' };
    if (reason === 'uncategorized') return { reason, note: note || 'Uncategorized.' };
    if (reason !== undefined) {
      deprecated.problem(`${what}: unknown deprecation reason '${reason}' (expected renamed, obsoleted or uncategorized)`, 'reason');
    }
    return undefined;
  }
}

function readExamples(raw: unknown): unknown[] {
  if (raw === undefined || raw === null) return [];
  return Array.isArray(raw) ? raw : [raw];
}

function isExcluded(fields: YamlFields): boolean {
  const annotations = fields.raw('annotations');
  if (!isYamlMap(annotations)) return false;
  const codeGeneration = annotations.code_generation;
  return isYamlMap(codeGeneration) && codeGeneration.exclude === true;
}
