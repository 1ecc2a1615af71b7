import { TemplateError } from './errors.js';
import type { GoNamingRules } from './naming.js';
import { readYaml } from './read-yaml.js';
import { isYamlMap } from './yaml-fields.js';

export interface GoNaming extends GoNamingRules {
  excludedNamespaces: string[];
}

/** Reads `naming.yaml` of the Go templates: `acronyms`, `replacements`, `excluded_namespaces`. */
export function readGoNaming(file: string, text: string): GoNaming {
  const { yaml, problems } = readYaml(file, text);
  if (!yaml) throw new TemplateError(problems[0]!);
  const fail = (message: string, node?: unknown, key?: string | number): never => {
    throw new TemplateError({ file, line: node === undefined ? 1 : yaml.lineOf(node, key), message });
  };
  const data = yaml.data;
  if (!isYamlMap(data)) return fail('expected a mapping with acronyms, replacements and excluded_namespaces');
  const strings = (key: string): string[] => {
    const value = data[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return fail(`\`${key}\` must be a list of strings`, data, key);
    return value as string[];
  };
  const replacements = data.replacements ?? [];
  if (!Array.isArray(replacements)) return fail('`replacements` must be a list of [from, to] pairs', data, 'replacements');
  replacements.forEach((pair, index) => {
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => typeof v === 'string' && v.length > 0)) {
      fail('each replacement must be a pair [from, to] of non-empty strings', replacements, index);
    }
  });
  return {
    acronyms: strings('acronyms'),
    replacements: replacements as Array<[string, string]>,
    excludedNamespaces: strings('excluded_namespaces'),
  };
}
