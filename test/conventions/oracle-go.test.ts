// Oracle: the generated Go package must declare exactly the keys, enum values and value helpers of
// go.opentelemetry.io/otel/semconv/v<version> (the module the test Go module requires, read from
// the module cache), with the same key strings and values, where that version exists there.
// The official package holds every stability and leaves deprecated names out: --stability all.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { differences, generateInto, goDeclarations, goModuleSource, MODELS, requiredGoVersion, type ModelVersion } from './support.js';

const OTEL = 'go.opentelemetry.io/otel';
let otelDir: string;

beforeAll(async () => {
  const { dir, version } = await goModuleSource(`${OTEL}@${requiredGoVersion(OTEL)}`);
  expect(version).toBe(requiredGoVersion(OTEL));
  otelDir = dir;
}, 120_000);

describe.each(Object.keys(MODELS) as ModelVersion[])('Go from the v%s model', (version) => {
  it(`declares what ${OTEL}/semconv/v${version} declares, no more, no fewer`, async (context) => {
    const oracleFile = path.join(otelDir, 'semconv', `v${version}`, 'attribute_group.go');
    if (!existsSync(oracleFile)) {
      context.skip(`${OTEL}@${requiredGoVersion(OTEL)} has no semconv/v${version} package`);
      return;
    }
    const { out, files } = await generateInto({ spec: MODELS[version], lang: 'go', stability: 'all' }, `conventions-go-${version}`);
    expect(files.map((f) => f.path).sort()).toEqual(['attribute_group.go', 'doc.go', 'schema.go']);
    const generated = goDeclarations(readFileSync(path.join(out, 'attribute_group.go'), 'utf8'));
    const oracle = goDeclarations(readFileSync(oracleFile, 'utf8'));
    expect(oracle.keys.size).toBeGreaterThan(500);
    expect(oracle.enumValues.size).toBeGreaterThan(500);
    expect(differences(generated.keys, oracle.keys)).toEqual({ missing: [], extra: [], different: [] });
    expect(differences(generated.enumValues, oracle.enumValues)).toEqual({ missing: [], extra: [], different: [] });
    expect(differences(generated.funcs, oracle.funcs)).toEqual({ missing: [], extra: [], different: [] });
    const schemaUrl = /SchemaURL = "([^"]+)"/.exec(readFileSync(path.join(otelDir, 'semconv', `v${version}`, 'schema.go'), 'utf8'))![1];
    expect(readFileSync(path.join(out, 'schema.go'), 'utf8')).toContain(`const SchemaURL = "${schemaUrl}"`);
  }, 60_000);
});

it('at least one model version has an official Go package to compare with', () => {
  const compared = (Object.keys(MODELS) as ModelVersion[]).filter((v) => existsSync(path.join(otelDir, 'semconv', `v${v}`, 'attribute_group.go')));
  expect(compared).toContain('1.43.0');
});
