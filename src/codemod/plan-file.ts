import path from 'node:path';
import { instrumentSource } from './instrument-source.js';
import { dependsOn, packageTypeFor } from './package-json.js';
import { relativeSpecifiers } from './specifier-style.js';
import type { CallSite, FileStatus, Language, ModuleSystem, Transform, Warning } from './types.js';

/** Stands in for a helper's import specifier until the run knows where the helpers go. */
export const PLACEHOLDER = (helper: string): string => `otel-instrument-helper-placeholder:${helper}`;
export const PLACEHOLDERS = /otel-instrument-helper-placeholder:([\w-]+)/g;
/** A relative import of a generated helper: `…/otel-instrument/<name>` with or without an extension. */
export const HELPER_IMPORT = /^\.{1,2}\/(?:.*\/)?otel-instrument\/([\w-]+)(\.[mc]?[jt]s)?$/;

/** What the project step needs of a parsed file, without its AST: plain data a plan worker can hand back. */
export interface SourceSummary {
  path: string;
  language: Language;
  moduleSystem: ModuleSystem;
  /** The modules its top-level bindings come from, in order. */
  bindingModules: string[];
  /** Its own relative import specifiers (see tsSpecifierEnding). */
  relativeSpecifiers: string[];
}

/** One file planned: what instrumentSource said, as plain data. */
export interface PlannedFile {
  status: FileStatus;
  reason?: string;
  /** `file:line:col: message`. */
  error?: string;
  sites: CallSite[];
  warnings: Warning[];
  after?: string;
  /** Set when the file parsed. */
  summary?: SourceSummary;
  /** Helpers this run imports newly (by placeholder). */
  placeholders: string[];
}

export interface PlanTask {
  path: string;
  bytes: Uint8Array;
  /** The project top of the file's root (see projectTop). */
  top: string;
}

/**
 * Parse and plan one file (instrumentSource with the run's package.json answers): the same on
 * the main thread and in a plan worker, so a run's output does not depend on where it ran.
 */
export function planFile(task: PlanTask, transforms: readonly Transform[], verifyOutput: boolean): PlannedFile {
  const file = task.path;
  const dir = path.dirname(file);
  const placeholders = new Set<string>();
  const bytes = Buffer.isBuffer(task.bytes) ? task.bytes : Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  const outcome = instrumentSource(file, bytes, {
    transforms,
    packageType: () => packageTypeFor(dir, task.top),
    // A helper the file imports already keeps its specifier (new names merge into that import).
    helperSpecifier: (helper, source) => {
      const existing = [...source.bindings.values()].find((b) => HELPER_IMPORT.exec(b.module)?.[1] === helper);
      if (existing) return existing.module;
      placeholders.add(helper);
      return PLACEHOLDER(helper);
    },
    verifyOutput,
    dependsOn: (pkg) => dependsOn(dir, pkg, task.top),
  });
  const planned: PlannedFile = { status: outcome.status, sites: outcome.sites, warnings: outcome.warnings, placeholders: outcome.status === 'changed' ? [...placeholders] : [] };
  if (outcome.reason) planned.reason = outcome.reason;
  if (outcome.error) planned.error = outcome.error.message;
  if (outcome.after !== undefined) planned.after = outcome.after;
  if (outcome.file) {
    const source = outcome.file;
    planned.summary = {
      path: source.path,
      language: source.language,
      moduleSystem: source.moduleSystem,
      bindingModules: [...source.bindings.values()].map((b) => b.module),
      relativeSpecifiers: source.language === 'ts' ? relativeSpecifiers(source) : [],
    };
  }
  return planned;
}
