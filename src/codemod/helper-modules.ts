import path from 'node:path';
import { DEFAULT_LOG_FIELDS, type LogFieldsProfile } from '../log-fields.js';
import { flavorExtension, readTemplate, renderTemplate, type Flavor } from '../render-template.js';
import { withHelperHeader } from './helper-header.js';
import type { TsSpecifierEnding } from './specifier-style.js';

/** Folder that receives the generated helper modules, inside the source tree of the files importing them (see helper-placement). */
export const HELPER_DIR_NAME = 'otel-instrument';

/** What the generated helpers import at run time; nothing else. */
export const HELPER_RUNTIME_DEPENDENCIES: Record<string, string> = { '@opentelemetry/api': '^1.9.0' };

/**
 * The `@opentelemetry/api` range for a project that pins this TypeScript (its package.json range,
 * if any). 1.9.1 writes `export { type … }` (TypeScript 4.5+) and 1.10 ships `.d.cts` types only
 * (4.7+): a `^1.9.0` would install a version its compiler cannot read.
 */
export function apiRangeFor(typescriptRange: string | undefined): string {
  const floor = /(\d+)\.(\d+)/.exec(typescriptRange ?? '');
  if (!floor) return HELPER_RUNTIME_DEPENDENCIES['@opentelemetry/api']!;
  const version = Number(floor[1]) * 100 + Number(floor[2]);
  if (version < 405) return '1.9.0';
  if (version < 407) return '~1.9.0';
  return HELPER_RUNTIME_DEPENDENCIES['@opentelemetry/api']!;
}

export function helperFile(helpersDir: string, helper: string, flavor: Flavor): string {
  return path.join(helpersDir, helper + flavorExtension(flavor));
}

/**
 * How `fromFile` imports a helper: relative; for JavaScript with the helper's own extension
 * (`.mjs`/`.cjs`), for TypeScript ending as the project resolves (see specifier-style; `.js`,
 * resolved to `.ts` by tsc, unless told otherwise).
 */
export function helperSpecifier(fromFile: string, helpersDir: string, helper: string, flavor: Flavor, tsEnding: TsSpecifierEnding = '.js'): string {
  const ext = flavor.language === 'ts' ? tsEnding : flavorExtension(flavor);
  const relative = path.relative(path.dirname(fromFile), path.join(helpersDir, helper + ext)).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

const templates = new Map<string, string>();

/** A runtime template's text, read once per process. */
function templateSource(helper: string): string {
  let text = templates.get(helper);
  if (text === undefined) {
    text = readTemplate(`runtime/${helper}.ts`);
    templates.set(helper, text);
  }
  return text;
}

/** The helpers asked for plus every helper they import, in a stable order. */
export function helperClosure(helpers: Iterable<string>): string[] {
  const result = new Set<string>();
  const visit = (helper: string) => {
    if (result.has(helper)) return;
    result.add(helper);
    for (const match of templateSource(helper).matchAll(/from\s+['"]\.\/([\w-]+)\.js['"]/g)) visit(match[1]!);
  };
  for (const helper of helpers) visit(helper);
  return [...result].sort();
}

/** Names of all helpers the templates provide. */
export function knownHelper(name: string): boolean {
  try {
    templateSource(name);
    return true;
  } catch {
    return false;
  }
}

/** What the run's options change in the helpers' text. */
export interface HelperOptions {
  /** The log field profile the log helpers default to (`--log-fields`). */
  logFields?: LogFieldsProfile;
}

const DEFAULT_PROFILE_LINE = `const DEFAULT_LOG_FIELDS: LogFieldsProfile = '${DEFAULT_LOG_FIELDS}';`;

/** The template with the run's options written in. */
function configuredSource(helper: string, options: HelperOptions): string {
  const source = templateSource(helper);
  if (helper !== 'log-fields' || !options.logFields || options.logFields === DEFAULT_LOG_FIELDS) return source;
  if (!source.includes(DEFAULT_PROFILE_LINE)) throw new Error(`templates/runtime/log-fields.ts: no line ${DEFAULT_PROFILE_LINE}`);
  return source.replace(DEFAULT_PROFILE_LINE, `const DEFAULT_LOG_FIELDS: LogFieldsProfile = '${options.logFields}';`);
}

/** A helper's text in a flavor, with its header line (tool version and fingerprint). */
export function renderHelper(helper: string, flavor: Flavor, options: HelperOptions = {}): string {
  return withHelperHeader(helper, renderTemplate(configuredSource(helper, options), flavor));
}
