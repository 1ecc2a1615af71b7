import type { SourceLocation } from './errors.js';

/** `experimental` in the YAML is read as its current name, `development`. */
export type Stability = 'stable' | 'development' | 'alpha' | 'beta' | 'release_candidate';

export const STABILITIES: readonly string[] = ['stable', 'development', 'experimental', 'alpha', 'beta', 'release_candidate'];

export type DeprecationReason = 'renamed' | 'obsoleted' | 'uncategorized';

export interface Deprecation {
  reason: DeprecationReason;
  /** For `renamed`: the attribute, member, metric or event that replaces this one. */
  renamedTo?: string;
  /** The note as written, or the text the official generators derive when there is none. */
  note: string;
}

export type PrimitiveType = 'string' | 'int' | 'double' | 'boolean' | 'string[]' | 'int[]' | 'double[]' | 'boolean[]' | 'any';

export const PRIMITIVE_TYPES: readonly PrimitiveType[] = [
  'string',
  'int',
  'double',
  'boolean',
  'string[]',
  'int[]',
  'double[]',
  'boolean[]',
  'any',
];

export type AttributeType =
  | { kind: 'primitive'; name: PrimitiveType }
  /** `template[<type>]`: the key is a prefix, the full key is `<key>.<suffix>`. */
  | { kind: 'template'; of: Exclude<PrimitiveType, 'any'> }
  /** An open enum: members are well-known values, any other value is allowed. */
  | { kind: 'enum'; valueType: 'string' | 'int' | 'double' };

export interface EnumMember {
  id: string;
  value: string | number;
  brief: string;
  note: string;
  stability: Stability;
  deprecated?: Deprecation;
  /** `annotations.code_generation.exclude: true`: official generators leave it out. */
  excluded: boolean;
  source: SourceLocation;
}

export interface Attribute {
  key: string;
  type: AttributeType;
  brief: string;
  note: string;
  /** Examples in YAML order (a single scalar example becomes a list of one). */
  examples: unknown[];
  stability: Stability;
  deprecated?: Deprecation;
  members: EnumMember[];
  excluded: boolean;
  source: SourceLocation;
}

export type Instrument = 'counter' | 'updowncounter' | 'gauge' | 'histogram';

export const INSTRUMENTS: readonly Instrument[] = ['counter', 'updowncounter', 'gauge', 'histogram'];

export interface Metric {
  name: string;
  brief: string;
  note: string;
  instrument: Instrument;
  unit: string;
  stability: Stability;
  deprecated?: Deprecation;
  excluded: boolean;
  /** Attribute keys the metric uses, after `ref_group` and `extends`. */
  attributes: string[];
  source: SourceLocation;
}

export interface Event {
  name: string;
  brief: string;
  note: string;
  stability: Stability;
  deprecated?: Deprecation;
  excluded: boolean;
  attributes: string[];
  source: SourceLocation;
}

/** The resolved registry: what code generation reads. Lists are sorted by name. */
export interface Registry {
  /** `schema_url` of the registry manifest, when there is one. */
  schemaUrl?: string;
  attributes: Attribute[];
  metrics: Metric[];
  events: Event[];
}

export function isDeprecated(item: { deprecated?: Deprecation }): boolean {
  return item.deprecated !== undefined;
}
