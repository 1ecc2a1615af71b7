import type ts from 'typescript';

/** `esm` files use `import`/`export`; `cjs` files use `require`/`module.exports`. */
export type ModuleSystem = 'esm' | 'cjs';
export type Language = 'ts' | 'js';

/** A text replacement on the original source: `[start, end)` becomes `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** A binding the generated code needs in scope, e.g. `instrumentExpress` from the HTTP helper. */
export interface ImportRequest {
  /** A package (`@opentelemetry/api`) or a generated helper module id (`helper:http-server`). */
  from: string;
  /** The exported name; the local name is the same. */
  name: string;
}

/** One place in the code a transform recognises: instrumented already, or to be. */
export interface CallSite {
  /** `express.app`, `fetch`, `kafkajs.send`, … (`{transform}.{what}` or the transform id). */
  kind: string;
  transform: string;
  file: string;
  line: number;
  column: number;
  /** Already carries the instrumentation (written by an earlier run, or by hand). */
  instrumented: boolean;
  /** Opted out with `// otel-instrument-ignore`. */
  ignored?: boolean;
  /** What the call site tells statically: route, method, topic, queue, … (the inventory). */
  facts: Record<string, string | number | boolean | string[] | undefined>;
}

/** What a transform wants done for one call site. */
export interface Plan {
  edits: Edit[];
  imports: ImportRequest[];
}

/** A call site as a transform finds it, with the node it was found at and its plan. */
export interface FoundSite {
  site: Omit<CallSite, 'file' | 'line' | 'column' | 'transform' | 'ignored'>;
  /** Node whose start gives the reported position and the ignore-comment check. */
  node: ts.Node;
  /** Present when the site needs instrumenting. */
  plan?: Plan;
}

/** What a local name refers to, from an import or a require. */
export interface ModuleBinding {
  /** Module specifier with any `node:` prefix removed. */
  module: string;
  /** `default`, `*` (namespace or whole `require`), or the exported name. */
  imported: string;
}

/**
 * Where a caller's transform list can be imported from (a module URL and its export), so that
 * plan workers load the same transforms the caller handed over.
 */
export interface TransformsModule {
  module: string;
  name: string;
}

/** A parsed file, read-only for transforms. */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Text without BOM. */
  text: string;
  ast: ts.SourceFile;
  language: Language;
  moduleSystem: ModuleSystem;
  /** Top-level local names bound to modules. */
  bindings: ReadonlyMap<string, ModuleBinding>;
}

/**
 * One framework or client, declared like a lint rule: which files are worth parsing, and how to
 * find and instrument its call sites. `find` must not mutate anything; it returns plans.
 */
export interface Transform {
  /** kebab-case, equal to its folder under `transforms/`. */
  id: string;
  description: string;
  /** Package versions the generated code was tested with. */
  packages: Record<string, string>;
  /** Cheap prefilter: a file is parsed only when its text contains one of these. */
  triggers: string[];
  /** Helper modules (from `templates/runtime/`) that plans of this transform import. */
  helpers: string[];
  find(file: SourceFile, context: FindContext): FoundSite[];
}

/** What a transform may ask of the run while it looks at one file. */
export interface FindContext {
  /**
   * Reports a place that looks like this transform's kind of use (`.publish(` on an unknown
   * receiver, …) but could not be resolved: nothing is skipped in silence.
   */
  warn(node: ts.Node, message: string, options?: WarnOptions): void;
  /** The project owning the file (its nearest package.json, within the root) depends on this package. */
  dependsOn(pkg: string): boolean;
}

export interface WarnOptions {
  /**
   * The warning is dropped when the run finds a call site of this kind that is instrumented or
   * about to be: a client instrumented where it is created (`amqplib.connect`) covers the calls
   * on it that another module makes through a value the tool cannot resolve.
   */
  unlessSite?: string;
}

/** A place that looks like HTTP or messaging use the tool could not resolve, as `file:line:col warning: message`. */
export interface Warning {
  transform: string;
  file: string;
  line: number;
  column: number;
  message: string;
  /** See WarnOptions; the engine removes it once the run is done. */
  unlessSite?: string;
}

export type FileStatus = 'changed' | 'unchanged' | 'skipped' | 'error';

export interface FileResult {
  /** Absolute path. */
  path: string;
  status: FileStatus;
  reason?: string;
  /** `file:line:col: message` for errors. */
  error?: string;
  sites: CallSite[];
  /** Likely call sites that could not be resolved (see FindContext.warn). */
  warnings?: Warning[];
  before?: string;
  after?: string;
}

/** A file the project step writes or changes besides the sources: helpers, package.json, bootstrap. */
export interface ProjectFileChange {
  path: string;
  role: 'helper' | 'package.json' | 'bootstrap';
  before: string | undefined;
  after: string;
  /** Set when writing it failed or was refused: the change did not happen. */
  error?: string;
}

/**
 * A generated helper this otel-instrument would write differently, left alone because it is
 * the user's: edited since it was written (its fingerprint no longer matches), or written before
 * helpers carried a fingerprint.
 */
export interface OutdatedHelper {
  path: string;
  helper: string;
  why: 'edited' | 'unfingerprinted';
  /** Version of otel-instrument that wrote it (unknown for unfingerprinted helpers). */
  writtenBy?: string;
  /** Version of otel-instrument that is running. */
  current: string;
  /** `path: outdated helper (…): not updated`, one line for any reporter. */
  message: string;
  /** Unified diff from the file as it is to what this version would write. */
  diff: string;
}

export interface InstrumentResult {
  files: FileResult[];
  project: ProjectFileChange[];
  /** Problems of the project step (`package.json` unreadable, …). */
  errors: string[];
  /** Helpers left as they are although this version would write them differently. */
  outdated?: OutdatedHelper[];
}
