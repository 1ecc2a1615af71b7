import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from '#typescript';
import { packageRoot } from '../package-root.js';
import { readTemplate, renderTemplate, type Flavor } from '../render-template.js';

/** Template of the SDK bootstrap file, relative to `templates/`. */
export const BOOTSTRAP_TEMPLATE = 'bootstrap/otel-bootstrap.ts';
/** Go template of the time-ordered id generator, relative to `templates/`. */
export const GO_ID_GENERATOR_TEMPLATE = 'go/sampling/time_ordered_ids.go';

export interface BootstrapOptions {
  /** `time-ordered`: trace ids start with the Unix time in ms, like the Go TimeOrderedIDGenerator. */
  idGenerator?: 'random' | 'time-ordered';
}

/** Template lines that differ in CommonJS, where there is no `import.meta`. */
const CJS_EDITS: ReadonlyArray<readonly [string, string]> = [
  ["import { fileURLToPath } from 'node:url';\n", ''],
  ['const bootstrapDir = dirname(fileURLToPath(import.meta.url));', 'const bootstrapDir = __dirname;'],
];

const USAGE_LINE = ' *   node --import ./otel-bootstrap.mjs app.mjs\n';

function usageLines(flavor: Flavor): string {
  if (flavor.language === 'js') {
    return flavor.moduleSystem === 'esm'
      ? USAGE_LINE
      : ' *   node --require ./otel-bootstrap.cjs app.js\n';
  }
  const compiled = flavor.moduleSystem === 'esm' ? '--import ./otel-bootstrap.js' : '--require ./otel-bootstrap.js';
  return ` *   node --import tsx --import ./otel-bootstrap.ts app.ts   (compiled: node ${compiled} app.js)\n`;
}

/** The SDK bootstrap file (`otel-bootstrap.{ts,mjs,cjs}`) in the user's flavor. */
export function renderBootstrap(flavor: Flavor, options: BootstrapOptions = {}): string {
  let source = readTemplate(BOOTSTRAP_TEMPLATE);
  source = applyRegion(source, 'time-ordered-ids', options.idGenerator === 'time-ordered');
  source = replaceOnce(source, USAGE_LINE, usageLines(flavor));
  if (flavor.moduleSystem === 'cjs') {
    for (const [from, to] of CJS_EDITS) source = replaceOnce(source, from, to);
  }
  return renderTemplate(source, flavor);
}

/**
 * npm packages the bootstrap file imports, with the version ranges this tool is tested against (its own
 * devDependencies), for the user's package.json. Read from the template, so the list cannot drift from it.
 */
export function bootstrapDependencies(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const tested = { ...manifest.dependencies, ...manifest.devDependencies };
  const dependencies: Record<string, string> = {};
  const imports = ts.preProcessFile(readTemplate(BOOTSTRAP_TEMPLATE), true, true).importedFiles;
  for (const { fileName } of imports) {
    if (fileName.startsWith('.') || fileName.startsWith('node:')) continue;
    const name = fileName.split('/').slice(0, fileName.startsWith('@') ? 2 : 1).join('/');
    const range = tested[name];
    if (range === undefined) {
      throw new Error(`${BOOTSTRAP_TEMPLATE}: imports ${name}, which is not among otel-instrument's devDependencies`);
    }
    dependencies[name] = range;
  }
  return Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)));
}

/** The Go id generator template (`TimeOrderedIDGenerator`) with its package clause set to `packageName`. */
export function renderGoIdGenerator(packageName: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(packageName)) {
    throw new Error(`${GO_ID_GENERATOR_TEMPLATE}: "${packageName}" is not a Go package name`);
  }
  return replaceOnce(readTemplate(GO_ID_GENERATOR_TEMPLATE), '\npackage telemetry\n', `\npackage ${packageName}\n`);
}

/**
 * Keeps (markers dropped) or removes (with its content) every `// #region <name>` … `// #endregion <name>`
 * block. The markers are comments, so the template stays valid TypeScript with every region in it.
 */
function applyRegion(source: string, name: string, keep: boolean): string {
  const out: string[] = [];
  let inside = false;
  for (const line of source.split('\n')) {
    const marker = line.trim();
    if (marker === `// #region ${name}` || marker === `// #endregion ${name}`) {
      const opening = marker.startsWith('// #region');
      if (opening === inside) throw new Error(`${BOOTSTRAP_TEMPLATE}: unbalanced "${marker}"`);
      inside = opening;
      continue;
    }
    if (keep || !inside) out.push(line);
  }
  if (inside) throw new Error(`${BOOTSTRAP_TEMPLATE}: region "${name}" is not closed`);
  return out.join('\n');
}

function replaceOnce(source: string, from: string, to: string): string {
  const at = source.indexOf(from);
  if (at === -1 || source.indexOf(from, at + 1) !== -1) {
    throw new Error(`template: expected exactly one ${JSON.stringify(from.trim())}`);
  }
  return source.slice(0, at) + to + source.slice(at + from.length);
}
