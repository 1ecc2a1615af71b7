import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../package-root.js';
import { ConventionsOptionsError, TemplateError } from './errors.js';
import { compileTemplate, type CompiledTemplate } from './template-engine.js';

export type Language = 'ts' | 'go';

/** A template and the file it renders to (its name without `.tmpl`). */
export interface OutputTemplate {
  output: string;
  template: CompiledTemplate;
}

/** The templates of one language, and its data files (`*.yaml`) by name. */
export interface TemplateSet {
  templates: OutputTemplate[];
  /** Data files such as `naming.yaml`, as text with the path used in messages. */
  data: Map<string, { file: string; text: string }>;
}

/** Where the built-in templates live: `templates/conventions/<lang>/` of this package. */
export const BUILT_IN_TEMPLATES = path.join(packageRoot, 'templates', 'conventions');

/**
 * The templates for `lang`: the built-in ones, each replaced by a file of the same name in
 * `<overrideDir>/<lang>/` when there is one; files only the override has are added. A template
 * that renders to nothing but whitespace writes no file, so an empty file removes an output.
 */
export async function loadTemplateSet(lang: Language, overrideDir?: string): Promise<TemplateSet> {
  const files = new Map<string, TemplateFile>();
  for (const file of await listDir(path.join(BUILT_IN_TEMPLATES, lang), path.join('templates', 'conventions', lang))) {
    files.set(file.name, file);
  }
  if (overrideDir !== undefined) {
    const dir = path.join(overrideDir, lang);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new ConventionsOptionsError(`--templates ${overrideDir}: no ${lang}/ directory (put the templates to override in ${dir})`);
    }
    for (const file of await listDir(dir, dir)) files.set(file.name, file);
  }
  const set: TemplateSet = { templates: [], data: new Map() };
  for (const { name, absolute, shown } of [...files.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const text = await readFile(absolute, 'utf8').catch((error: unknown) => {
      throw new TemplateError({ file: shown, line: 1, message: `cannot read template: ${(error as Error).message}` }, { cause: error });
    });
    if (name.endsWith('.tmpl')) set.templates.push({ output: name.slice(0, -'.tmpl'.length), template: compileTemplate(text, shown) });
    else set.data.set(name, { file: shown, text });
  }
  return set;
}

interface TemplateFile {
  name: string;
  absolute: string;
  /** The path shown in messages. */
  shown: string;
}

/** `*.tmpl` and `*.yaml` files of a directory. */
async function listDir(dir: string, shownDir: string): Promise<TemplateFile[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile() && /\.(tmpl|ya?ml)$/.test(entry.name))
    .map((entry) => ({ name: entry.name, absolute: path.join(dir, entry.name), shown: path.join(shownDir, entry.name) }));
}
