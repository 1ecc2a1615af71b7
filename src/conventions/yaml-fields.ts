import type { Problem, SourceLocation } from './errors.js';
import type { YamlFile } from './read-yaml.js';

export type YamlMap = Record<string, unknown>;

export function isYamlMap(value: unknown): value is YamlMap {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Typed access to the fields of one YAML mapping. A field of the wrong shape is recorded as a
 * problem at its own line and read as absent, so one bad field does not hide the others.
 */
export class YamlFields {
  constructor(
    readonly yaml: YamlFile,
    readonly node: YamlMap,
    private readonly problems: Problem[],
  ) {}

  has(key: string): boolean {
    return Object.hasOwn(this.node, key) && this.node[key] !== null;
  }

  raw(key: string): unknown {
    return this.node[key];
  }

  line(key?: string): number {
    return this.yaml.lineOf(this.node, key);
  }

  at(key?: string): SourceLocation {
    return { file: this.yaml.file, line: this.line(key) };
  }

  problem(message: string, key?: string): void {
    this.problems.push({ ...this.at(key), message });
  }

  /** A text field; numbers and booleans are taken as their YAML text. */
  text(key: string, what: string): string | undefined {
    const value = this.node[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    this.problem(`${what}: \`${key}\` must be a string`, key);
    return undefined;
  }

  requiredText(key: string, what: string): string | undefined {
    const value = this.text(key, what);
    if (value === undefined && !this.has(key)) this.problem(`${what}: missing \`${key}\``);
    return value;
  }

  map(key: string, what: string): YamlFields | undefined {
    const value = this.node[key];
    if (value === undefined || value === null) return undefined;
    if (!isYamlMap(value)) {
      this.problem(`${what}: \`${key}\` must be a mapping`, key);
      return undefined;
    }
    return new YamlFields(this.yaml, value, this.problems);
  }

  /** A list of mappings; items of another shape are reported and skipped. */
  maps(key: string, what: string): YamlFields[] {
    const value = this.node[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problem(`${what}: \`${key}\` must be a list`, key);
      return [];
    }
    const out: YamlFields[] = [];
    value.forEach((item, index) => {
      if (isYamlMap(item)) out.push(new YamlFields(this.yaml, item, this.problems));
      else this.problems.push({ file: this.yaml.file, line: this.yaml.lineOf(value, index), message: `${what}: each item of \`${key}\` must be a mapping` });
    });
    return out;
  }
}
