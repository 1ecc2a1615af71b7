import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConventionsOptionsError, ModelInvalidError, type Problem } from './errors.js';
import type { Registry } from './model.js';
import { readDefinitions, type Definitions } from './read-definitions.js';
import { readYaml } from './read-yaml.js';
import { resolveRegistry } from './resolve-registry.js';

/**
 * Reads every `.yaml`/`.yml` file under the model directories (both the `groups:` format and
 * `file_format: definition/2`) and resolves them into one registry. Several directories are
 * one registry: a company registry can `ref` the attributes of the official one.
 *
 * @throws ModelInvalidError with every problem found, each at its `file:line`.
 */
export async function loadModel(specDirs: readonly string[]): Promise<Registry> {
  const { definitions, problems } = await readModel(specDirs);
  const registry = resolveRegistry(definitions, problems);
  if (problems.length > 0) throw new ModelInvalidError(problems);
  return registry;
}

/** The definitions of every model file under `specDirs`, and the problems found reading them. */
export async function readModel(specDirs: readonly string[]): Promise<{ definitions: Definitions; problems: Problem[] }> {
  if (specDirs.length === 0) throw new ConventionsOptionsError('--spec: give at least one model directory');
  const files: string[] = [];
  for (const dir of specDirs) {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new ConventionsOptionsError(`--spec ${dir}: no such directory`);
    const found = await findYamlFiles(dir);
    if (found.length === 0) throw new ConventionsOptionsError(`--spec ${dir}: no .yaml files in this directory`);
    files.push(...found);
  }
  const texts = await Promise.all(files.map((file) => readFile(file, 'utf8')));
  const problems: Problem[] = [];
  const definitions: Definitions = { attributes: [], groups: [], renames: [] };
  files.forEach((file, index) => {
    const { yaml, problems: syntax } = readYaml(file, texts[index]!);
    problems.push(...syntax);
    if (yaml) readDefinitions(yaml, definitions, problems);
  });
  return { definitions, problems };
}

/** YAML files under `dir`, depth first, in a stable (sorted) order. */
async function findYamlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await findYamlFiles(full)));
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}
