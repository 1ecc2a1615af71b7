// Oracle: the generated TypeScript must export exactly the ATTR_*, *_VALUE_* and METRIC_*
// constants of @opentelemetry/semantic-conventions of the same version (installed as the
// devDependency aliases semconv-<version>), with the same values, for both entry points.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/golden.js';
import { differences, generateInto, importGenerated, MODELS, semconvConstants, type ModelVersion } from './support.js';

const require = createRequire(import.meta.url);

describe.each(Object.keys(MODELS) as ModelVersion[])('TypeScript from the v%s model', (version) => {
  let out: string;
  beforeAll(async () => {
    // The official package keeps deprecated names (marked @deprecated), so compare with them in.
    ({ out } = await generateInto({ spec: MODELS[version], lang: 'ts', includeDeprecated: true }, `conventions-ts-${version}`));
  }, 60_000);

  it.each([
    ['index.ts', `semconv-${version}`],
    ['incubating.ts', `semconv-${version}/incubating`],
  ])(`%s has the constants of @opentelemetry/semantic-conventions@${version} (%s), no more, no fewer`, async (file, oracleModule) => {
    const oracle = semconvConstants(require(oracleModule) as Record<string, unknown>);
    const generated = semconvConstants(await importGenerated(path.join(out, file)));
    expect(oracle.size).toBeGreaterThan(200);
    expect(differences(generated, oracle)).toEqual({ missing: [], extra: [], different: [] });
  });

  it('the oracle package is the version under test', () => {
    const packageJson = path.join(repoRoot, 'node_modules', `semconv-${version}`, 'package.json');
    expect((JSON.parse(readFileSync(packageJson, 'utf8')) as { name: string; version: string })).toMatchObject({
      name: '@opentelemetry/semantic-conventions',
      version,
    });
  });
});
