import type { Attribute, Deprecation, EnumMember, Event, Metric } from './model.js';

/**
 * JSDoc blocks in the layout of `@opentelemetry/semantic-conventions`: the brief, `@example`
 * lines, `@note`, `@experimental` and `@deprecated`, with RFC 2119 keywords in bold.
 */

const RFC2119 = /\b(MUST NOT|MUST|REQUIRED|SHALL NOT|SHALL|SHOULD NOT|SHOULD|RECOMMENDED|MAY|OPTIONAL)\b/g;

function strong(text: string): string {
  return text.replace(RFC2119, '**$1**');
}

/** A `/** … *\/` block from paragraphs (each may span lines); empty paragraphs are skipped. */
export function jsDocBlock(paragraphs: string[]): string {
  const lines: string[] = [];
  for (const paragraph of paragraphs) {
    if (!paragraph.trim()) continue;
    if (lines.length > 0) lines.push('');
    lines.push(...paragraph.trimEnd().split('\n'));
  }
  const body = lines.map((line) => {
    const safe = line.replace(/\\/g, '\\\\').replace(/\*\//g, '*\\/').trimEnd();
    return safe ? ` * ${safe}` : ' *';
  });
  return ['/**', ...body, ' */'].join('\n');
}

export function exampleText(example: unknown): string {
  if (typeof example === 'string') return example;
  return JSON.stringify(example) ?? String(example);
}

function experimental(what: string, stability: string): string {
  if (stability === 'stable') return '';
  return `@experimental This ${what} is experimental and is subject to breaking changes in minor releases of the semantic conventions.`;
}

/** The deprecation note; a rename whose note does not name the replacement gets it appended. */
export function deprecationText(deprecated: Deprecation | undefined): string {
  if (!deprecated) return '';
  const { note, renamedTo } = deprecated;
  if (renamedTo && !note.includes(renamedTo)) return `${note} Replaced by \`${renamedTo}\`.`;
  return note;
}

function deprecatedTag(deprecated: Deprecation | undefined): string {
  return deprecated ? `@deprecated ${strong(deprecationText(deprecated))}` : '';
}

export function attributeJsDoc(attribute: Attribute): string {
  return jsDocBlock([
    strong(attribute.brief),
    attribute.examples.map((example) => `@example ${exampleText(example)}`).join('\n'),
    attribute.note ? `@note ${strong(attribute.note)}` : '',
    experimental('attribute', attribute.stability),
    deprecatedTag(attribute.deprecated),
  ]);
}

export function memberJsDoc(attribute: Attribute, member: EnumMember, attributeConst: string): string {
  return jsDocBlock([
    `Enum value ${JSON.stringify(member.value)} for attribute {@link ${attributeConst}}.`,
    strong(member.brief),
    member.note ? strong(member.note) : '',
    experimental('enum value', member.stability),
    deprecatedTag(member.deprecated),
  ]);
}

export function metricJsDoc(metric: Metric): string {
  return jsDocBlock([
    strong(metric.brief),
    metric.note ? `@note ${strong(metric.note)}` : '',
    experimental('metric', metric.stability),
    deprecatedTag(metric.deprecated),
  ]);
}

export function eventJsDoc(event: Event): string {
  return jsDocBlock([
    strong(event.brief),
    event.note ? `@note ${strong(event.note)}` : '',
    experimental('event', event.stability),
    deprecatedTag(event.deprecated),
  ]);
}
