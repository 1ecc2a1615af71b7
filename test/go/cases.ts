// The generator cases shared by the golden and the build tests: an inventory (as `go --json`
// prints it) and the options, in test/go/fixtures/cases/<case>/case.json.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateGoModule, type GeneratedFile } from '../../src/go/generate.js';
import type { Inventory } from '../../src/go/inventory.js';
import { buildModel, type GoOptions } from '../../src/go/model.js';
import { withLocalSemconv } from '../../src/go/semconv-package.js';
import { repoRoot } from '../support/golden.js';

export const goTestDir = path.dirname(fileURLToPath(import.meta.url));
export const casesDir = path.join(goTestDir, 'fixtures/cases');

export interface GeneratorCase {
  name: string;
  dir: string;
  inventoryName: string;
  inventory: Inventory;
  options: GoOptions;
  /** `--semconv-spec` model directories, relative to the repository (semconv/v1.44.0: the embedded model). */
  semconvSpec?: string[];
}

export function readInventory(name: string): Inventory {
  return JSON.parse(readFileSync(path.join(goTestDir, 'fixtures/inventories', `${name}.json`), 'utf8')) as Inventory;
}

export function readCases(): GeneratorCase[] {
  return readdirSync(casesDir)
    .sort()
    .map((name) => {
      const dir = path.join(casesDir, name);
      const spec = JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as { inventory: string; options: GoOptions; semconvSpec?: string[] };
      const semconvSpec = spec.semconvSpec?.map((dir) => path.resolve(repoRoot, dir));
      return { name, dir, inventoryName: spec.inventory, inventory: readInventory(spec.inventory), options: spec.options, ...(semconvSpec ? { semconvSpec } : {}) };
    });
}

/** The files `otel-instrument go` writes for a case. */
export async function generateCase(testCase: GeneratorCase): Promise<GeneratedFile[]> {
  const files = generateGoModule(buildModel(testCase.inventory, testCase.options));
  return testCase.semconvSpec ? withLocalSemconv(files, testCase.options.module, testCase.semconvSpec) : files;
}

/** Golden files keep their names, except go.mod: a go.mod in the repo would make its folder a module. */
export function goldenName(file: string): string {
  return file === 'go.mod' ? 'go.mod.golden' : file;
}
