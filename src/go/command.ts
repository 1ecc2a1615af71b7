/** `otel-instrument go`: inventory of the Node code → a Go module that continues its traces. */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../write-file.js';
import { generateGoModule, type GeneratedFile } from './generate.js';
import { collectInventory, type Inventory } from './inventory.js';
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
  return { module, service, http: options.http, kafka: options.kafka, idGenerator: options.idGenerator, ...(options.hosts?.length ? { hosts: options.hosts } : {}) };
}

/** Writes what is new; an existing file is the user's and is kept unless `force`. */
async function writeFiles(out: string, files: GeneratedFile[], force: boolean, result: GoCommandResult): Promise<void> {
  mkdirSync(out, { recursive: true });
  for (const file of files) {
    const target = path.join(out, file.path);
    // handlers.go holds the user's code: even --force leaves it alone.
    if (existsSync(target) && (!force || file.userOwned)) {
      result.kept.push(target);
      continue;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    await writeFileAtomic(target, file.text);
    result.written.push(target);
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
  await writeFiles(out, files, !!options.force, result);
  return result;
}
