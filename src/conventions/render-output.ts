import type { Problem } from './errors.js';
import type { TemplateSet } from './template-set.js';

/** Facts about the run that every template can use. */
export interface RunInfo {
  /** `schema_url` of the model (or `--schema-url`), or null. */
  schemaUrl: string | null;
  /** The semantic-conventions version, from the schema URL (`1.44.0`), or null. */
  version: string | null;
  stability: 'stable' | 'all';
  includeDeprecated: boolean;
}

/** A generated file, its path relative to the output directory. */
export interface GeneratedFile {
  path: string;
  content: string;
}

export interface GeneratedCounts {
  /** Attribute keys (TypeScript `ATTR_*`, Go `*Key` and template functions). */
  attributes: number;
  enumValues: number;
  metrics: number;
  events: number;
}

export interface LanguageOutput {
  files: GeneratedFile[];
  /** Settled name collisions, as `file:line` problems. */
  warnings: Problem[];
  counts: GeneratedCounts;
}

/** Renders every template with `data`; a template that renders to whitespace writes no file. */
export function renderTemplates(templates: TemplateSet, data: object): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const { output, template } of templates.templates) {
    const content = template.render(data);
    if (content.trim()) files.push({ path: output, content: content.replace(/\n*$/, '\n') });
  }
  return files;
}

/** `https://opentelemetry.io/schemas/1.44.0` → `1.44.0`. */
export function versionOf(schemaUrl: string | undefined): string | null {
  const match = schemaUrl ? /\/(v?\d+\.\d+\.\d+[^/]*)\/?$/.exec(schemaUrl) : null;
  return match ? match[1]!.replace(/^v/, '') : null;
}
