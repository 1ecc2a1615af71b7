/** `otel-instrument go`: inventory of the Node code → a Go module that continues its traces. */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { symlinkOnTheWay } from '../conventions/no-symlinks.js';
import { writeFileAtomic, WriteError } from '../write-file.js';
import { generateGoModule, type GeneratedFile } from './generate.js';
import { collectInventory, type Inventory } from './inventory.js';
import { DEFAULT_LOG_FIELDS, type LogFieldsProfile } from '../log-fields.js';
import { buildModel, type GoOptions, type HttpFlavor, type KafkaFlavor, type Skipped } from './model.js';
import { withLocalSemconv } from './semconv-package.js';

export const HTTP_FLAVORS: readonly HttpFlavor[] = ['nethttp', 'gin', 'echo'];
export const KAFKA_FLAVORS: readonly KafkaFlavor[] = ['franz-go', 'sarama', 'kafka-go'];

export interface GoCommandOptions {
  paths: string[];
  cwd: string;
  /** Output directory; without it only the inventory is produced. */
  out?: string;
  module?: string;
  service?: string;
  http: HttpFlavor;
  kafka: KafkaFlavor;
  idGenerator: 'random' | 'time-ordered';
  /** Default names of the log lines' id fields (tracelog.DefaultProfile); default otel. */
  logFields?: LogFieldsProfile;
  /** Only calls to these hosts become Go routes (see GoOptions.hosts). */
  hosts?: string[];
  /** Read the inventory from this JSON file (as `--json` prints it) instead of the Node code. */
  inventory?: string;
  /** Overwrite files that already exist in the output directory. */
  force?: boolean;
  /** Model directories: attribute keys from a package generated into `<out>/internal/semconv` (empty: the embedded model). */
  semconvSpec?: string[];
}

export interface GoCommandResult {
  inventory: Inventory;
  skipped: Skipped[];
  written: string[];
  kept: string[];
  errors: string[];
}

export class GoOptionsError extends Error {}

const GO_MODULE_PATH = /^[A-Za-z0-9][A-Za-z0-9._~-]*(\/[A-Za-z0-9._~-]+)*$/;

function resolveOptions(options: GoCommandOptions, out: string): GoOptions {
  const service = options.service ?? path.basename(out);
  const module = options.module ?? service;
  if (!GO_MODULE_PATH.test(module)) throw new GoOptionsError(`--module "${module}" is not a valid Go module path`);
  if (service === '' || /["\\\n]/.test(service)) throw new GoOptionsError(`--service "${service}" is not a usable service name`);
  return { module, service, http: options.http, kafka: options.kafka, idGenerator: options.idGenerator, ...(options.logFields && options.logFields !== DEFAULT_LOG_FIELDS ? { logFields: options.logFields } : {}), ...(options.hosts?.length ? { hosts: options.hosts } : {}) };
}

/**
 * Writes what is new; an existing file is the user's and is kept unless `force`. Nothing is
 * written when `out` is not a directory or a path on the way to a file to write is a symbolic
 * link (it would change a file elsewhere).
 */
async function writeFiles(out: string, shown: string, files: GeneratedFile[], force: boolean, result: GoCommandResult): Promise<void> {
  if (statSync(out, { throwIfNoEntry: false })?.isDirectory() === false) throw new GoOptionsError(`--out ${shown}: exists and is not a directory (nothing written)`);
  // handlers.go holds the user's code: even --force leaves it alone.
  const kept = (file: GeneratedFile) => existsSync(path.join(out, file.path)) && (!force || file.userOwned);
  const link = symlinkOnTheWay(out, files.filter((file) => !kept(file)).map((file) => file.path));
  if (link !== undefined) throw new GoOptionsError(`--out ${shown}: ${path.join(shown, path.relative(out, link))} is a symbolic link; otel-instrument never writes through one (nothing written)`);
  try {
    mkdirSync(out, { recursive: true });
    for (const file of files) {
      const target = path.join(out, file.path);
      if (kept(file)) {
        result.kept.push(target);
        continue;
      }
      mkdirSync(path.dirname(target), { recursive: true });
      await writeFileAtomic(target, file.text);
      result.written.push(target);
    }
  } catch (error) {
    if (error instanceof WriteError) throw new GoOptionsError(error.message, { cause: error });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined) throw new GoOptionsError(`--out ${shown}: cannot write (${(error as Error).message})`, { cause: error });
    throw error;
  }
}

export async function runGoCommand(options: GoCommandOptions): Promise<GoCommandResult> {
  const result: GoCommandResult = { inventory: undefined as unknown as Inventory, skipped: [], written: [], kept: [], errors: [] };
  if (options.inventory) {
    result.inventory = JSON.parse(readFileSync(path.resolve(options.cwd, options.inventory), 'utf8')) as Inventory;
  } else {
    const collected = await collectInventory(options.paths, options.cwd);
    result.inventory = collected.inventory;
    result.errors.push(...collected.errors);
  }
  // Without --out the model is still built: what cannot be mirrored belongs in the --json report.
  const out = path.resolve(options.cwd, options.out ?? 'go-service');
  const model = buildModel(result.inventory, resolveOptions(options, out));
  result.skipped = model.skipped;
  if (!options.out) return result;
  let files = generateGoModule(model);
  // Without --semconv-spec the official package is imported: it is what the conventions
  // generator reproduces exactly (test/conventions/oracle-go.test.ts). With it and no
  // directory, the package is generated from the embedded model.
  if (options.semconvSpec !== undefined) {
    const missing = options.semconvSpec.find((dir) => !statSync(path.resolve(options.cwd, dir), { throwIfNoEntry: false })?.isDirectory());
    if (missing !== undefined) throw new GoOptionsError(`--semconv-spec ${missing}: no such directory`);
    files = await withLocalSemconv(files, model.options.module, options.semconvSpec.map((dir) => path.resolve(options.cwd, dir)));
  }
  await writeFiles(out, options.out, files, !!options.force, result);
  return result;
}
