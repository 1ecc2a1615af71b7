// The package ships the v1.44.0 model (semconv/v1.44.0): `conventions` and `go --semconv-spec`
// use it when no directory is given, and a registry that refers to official names is read on
// top of it. Run from a folder that has no model in it (nothing beside it is read).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelInvalidError } from '../../src/conventions/errors.js';
import { generateConventions } from '../../src/conventions/generate.js';
import { EMBEDDED_MODEL_DIR } from '../../src/conventions/spec-model.js';
import { runCli, tempDir } from '../support/cli.js';
import { goTestDir } from '../go/cases.js';
import { FIXTURES, importGenerated, MODELS, semconvConstants, writeFiles } from './support.js';

describe('the embedded model', () => {
  it('is the v1.44.0 model of the repository (semconv/v1.44.0), shipped with its license', () => {
    expect(EMBEDDED_MODEL_DIR).toBe(MODELS['1.44.0']);
    expect(readFileSync(path.join(EMBEDDED_MODEL_DIR, 'manifest.yaml'), 'utf8')).toContain('schema_url: https://opentelemetry.io/schemas/1.44.0');
    expect(readFileSync(path.join(EMBEDDED_MODEL_DIR, 'LICENSE'), 'utf8')).toContain('Apache License');
  });

  it('conventions with no --spec generates from it: the same files as --spec semconv/v1.44.0', async () => {
    const dir = tempDir('conventions-embedded');
    const run = runCli(['conventions', '--lang', 'ts', '--out', 'src/semconv'], dir);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^otel-instrument conventions: wrote src\/semconv\/incubating\.ts, src\/semconv\/index\.ts \(\d+ attributes/);
    const explicit = await generateConventions({ spec: MODELS['1.44.0'], lang: 'ts' });
    for (const file of explicit.files) expect(readFileSync(path.join(dir, 'src/semconv', file.path), 'utf8')).toBe(file.content);
    const index = readFileSync(path.join(dir, 'src/semconv/index.ts'), 'utf8');
    expect(index).toContain("export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method' as const;");
    expect(index).toContain('https://opentelemetry.io/schemas/1.44.0');
  });

  it('go --semconv-spec with no directory generates internal/semconv from it', () => {
    const dir = tempDir('go-embedded-semconv');
    const inventory = path.join(goTestDir, 'fixtures/inventories/http-only.json');
    const run = runCli(['go', '--inventory', inventory, '--out', 'svc', '--module', 'example.com/svc', '--semconv-spec'], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'svc/server.go'), 'utf8')).toContain('\t"example.com/svc/internal/semconv"\n');
    expect(readFileSync(path.join(dir, 'svc/internal/semconv/attribute_group.go'), 'utf8')).toContain('HTTPRouteKey = attribute.Key("http.route")');
    expect(readFileSync(path.join(dir, 'svc/internal/semconv/schema.go'), 'utf8')).toContain('https://opentelemetry.io/schemas/1.44.0');
  });
});

describe('--spec', () => {
  it('a registry that refers to official names (fixtures/acme-http) is read on top of the embedded model', async () => {
    const result = await generateConventions({ spec: path.join(FIXTURES, 'acme-http'), lang: 'ts' });
    const withOfficial = await generateConventions({ spec: [MODELS['1.44.0'], path.join(FIXTURES, 'acme-http')], lang: 'ts' });
    expect(result.files).toEqual(withOfficial.files);
    expect(result.schemaUrl).toBe('https://opentelemetry.io/schemas/1.44.0');
  });

  it('a registry that stands alone (fixtures/acme) replaces it: only its own names', async () => {
    const result = await generateConventions({ spec: path.join(FIXTURES, 'acme'), lang: 'ts' });
    const index = result.files.find((f) => f.path === 'index.ts')!.content;
    expect(index).toContain('ATTR_ACME_TENANT_ID');
    expect(index).not.toContain('ATTR_HTTP_REQUEST_METHOD');
  });

  it('another version replaces it (v1.43.0 test data)', async () => {
    const { out } = await generateConventionsInto(MODELS['1.43.0']);
    expect(readFileSync(path.join(out, 'index.ts'), 'utf8')).toContain('https://opentelemetry.io/schemas/1.43.0');
    expect(semconvConstants(await importGenerated(path.join(out, 'index.ts'))).get('ATTR_HTTP_REQUEST_METHOD')).toBe('http.request.method');
  });

  it('a model that redefines official names is not layered: its unknown refs are its own problems', async () => {
    const dir = writeFiles(tempDir('conventions-own-model'), {
      'registry.yaml': [
        'groups:',
        '  - id: registry.http',
        '    type: attribute_group',
        '    brief: HTTP.',
        '    attributes:',
        '      - { id: http.request.method, type: string, brief: Method., stability: stable }',
        '  - id: span.http.client',
        '    type: span',
        '    span_kind: client',
        '    brief: Client.',
        '    attributes:',
        '      - ref: http.response.status_code',
        '',
      ].join('\n'),
    });
    const error = await generateConventions({ spec: dir, lang: 'ts' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelInvalidError);
    expect((error as ModelInvalidError).lines()).toEqual([
      `${dir}/registry.yaml:12: group 'span.http.client': unknown attribute 'http.response.status_code' in ref`,
    ]);
  });

  it('a layered registry with a typo reports only its own problem, at its file:line', async () => {
    const dir = writeFiles(tempDir('conventions-layered-typo'), {
      'registry.yaml': ['groups:', '  - id: span.acme.call', '    type: span', '    span_kind: client', '    brief: Call.', '    attributes:',
        '      - ref: http.request.method', '      - ref: http.request.methd', ''].join('\n'),
    });
    const error = await generateConventions({ spec: dir, lang: 'ts' }).catch((e: unknown) => e);
    expect((error as ModelInvalidError).lines()).toEqual([`${dir}/registry.yaml:8: group 'span.acme.call': unknown attribute 'http.request.methd' in ref`]);
  });
});

async function generateConventionsInto(spec: string) {
  const out = tempDir('conventions-version');
  return { ...(await generateConventions({ spec, lang: 'ts', out })), out };
}
