// --stability, --include-deprecated, --package and --templates change the output as the README
// says; the CLI wires them through and leaves the default (instrument) command alone.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConventionsOptionsError, TemplateError } from '../../src/conventions/errors.js';
import { generateConventions } from '../../src/conventions/generate.js';
import { runCli, tempDir } from '../support/cli.js';
import { repoRoot } from '../support/golden.js';
import { FIXTURES, generateInto, goDeclarations, importGenerated, MODELS, semconvConstants, writeFiles } from './support.js';

const ACME = path.join(FIXTURES, 'acme');
const MODEL = MODELS['1.44.0'];
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

describe('--stability', () => {
  let stable: { out: string };
  let all: { out: string };
  beforeAll(async () => {
    stable = await generateInto({ spec: MODEL, lang: 'ts' });
    all = await generateInto({ spec: MODEL, lang: 'ts', stability: 'all' });
  }, 60_000);

  it('stable (default): index.ts has stable names only, incubating.ts re-exports it and adds the rest', async () => {
    expect(readdirSync(stable.out).sort()).toEqual(['incubating.ts', 'index.ts']);
    const index = read(stable.out, 'index.ts');
    expect(index).toContain("export const ATTR_HTTP_REQUEST_METHOD = 'http.request.method' as const;");
    expect(index).not.toContain('@experimental');
    const incubating = read(stable.out, 'incubating.ts');
    expect(incubating).toContain("export * from './index.js';");
    expect(incubating).toContain("export const ATTR_RPC_METHOD = 'rpc.method' as const;");
    expect(incubating).not.toContain('ATTR_HTTP_REQUEST_METHOD =');
  });

  it('all: index.ts holds exactly what the stable run spread over both entries, and there is no incubating.ts', async () => {
    expect(readdirSync(all.out)).toEqual(['index.ts']);
    const everything = semconvConstants(await importGenerated(path.join(all.out, 'index.ts')));
    const spread = semconvConstants(await importGenerated(path.join(stable.out, 'incubating.ts')));
    expect(everything.size).toBeGreaterThan(1500);
    expect(everything).toEqual(spread);
  });

  it('switching to all in the same --out removes the incubating.ts an earlier run generated, not a file of the user', async () => {
    const out = tempDir('conventions-switch');
    await generateConventions({ spec: ACME, lang: 'ts', out });
    expect(readdirSync(out).sort()).toEqual(['incubating.ts', 'index.ts']);
    const result = await generateConventions({ spec: ACME, lang: 'ts', out, stability: 'all' });
    expect(result.removed).toEqual([path.join(out, 'incubating.ts')]);
    expect(readdirSync(out)).toEqual(['index.ts']);
    writeFileSync(path.join(out, 'incubating.ts'), 'export const MINE = 1;\n');
    expect((await generateConventions({ spec: ACME, lang: 'ts', out, stability: 'all' })).removed).toEqual([]);
    expect(read(out, 'incubating.ts')).toBe('export const MINE = 1;\n');
  });

  it('Go: stable keeps stable keys and values only; all adds the others', async () => {
    const goStable = goDeclarations(read((await generateInto({ spec: MODEL, lang: 'go' })).out, 'attribute_group.go'));
    const goAll = goDeclarations(read((await generateInto({ spec: MODEL, lang: 'go', stability: 'all' })).out, 'attribute_group.go'));
    expect(goStable.keys.get('HTTPRequestMethodKey')).toBe('http.request.method');
    expect(goStable.keys.has('RPCMethodKey')).toBe(false);
    expect(goAll.keys.get('RPCMethodKey')).toBe('rpc.method');
    for (const [name, key] of goStable.keys) expect(goAll.keys.get(name)).toBe(key);
    expect(goAll.keys.size).toBeGreaterThan(goStable.keys.size * 3);
  }, 60_000);
});

describe('--include-deprecated', () => {
  it('TypeScript: deprecated names appear only with it, marked @deprecated with the replacement', async () => {
    const without = await generateInto({ spec: MODEL, lang: 'ts' });
    const withDeprecated = await generateInto({ spec: MODEL, lang: 'ts', includeDeprecated: true });
    expect(read(without.out, 'incubating.ts')).not.toContain('@deprecated');
    expect(read(without.out, 'incubating.ts')).not.toContain('ATTR_HTTP_METHOD ');
    expect(read(withDeprecated.out, 'incubating.ts')).toMatch(
      / \* @deprecated Replaced by `http\.request\.method`\.\n \*\/\nexport const ATTR_HTTP_METHOD = 'http\.method' as const;/,
    );
    expect(withDeprecated.counts.attributes).toBeGreaterThan(without.counts.attributes + 150);
  }, 60_000);

  it('Go: deprecated keys appear only with it, with a Deprecated: paragraph', async () => {
    const without = read((await generateInto({ spec: MODEL, lang: 'go', stability: 'all' })).out, 'attribute_group.go');
    const withDeprecated = read((await generateInto({ spec: MODEL, lang: 'go', stability: 'all', includeDeprecated: true })).out, 'attribute_group.go');
    expect(without).not.toContain('Deprecated:');
    expect(without).not.toContain('HTTPMethodKey');
    expect(withDeprecated).toMatch(/\t\/\/ Deprecated: Replaced by `http\.request\.method`\.\n\tHTTPMethodKey = attribute\.Key\("http\.method"\)/);
  }, 60_000);
});

describe('--only', () => {
  it('keeps the named attributes (with their enum values), metrics and events, and prefix.* patterns', async () => {
    const only = ['http.request.method', 'messaging.destination.*', 'http.server.request.duration'];
    const ts = await generateInto({ spec: MODEL, lang: 'ts', only });
    const index = semconvConstants(await importGenerated(path.join(ts.out, 'index.ts')));
    expect([...index.keys()].filter((name) => !name.startsWith('HTTP_REQUEST_METHOD_VALUE_'))).toEqual([
      'ATTR_HTTP_REQUEST_METHOD',
      'METRIC_HTTP_SERVER_REQUEST_DURATION',
    ]);
    expect(index.get('HTTP_REQUEST_METHOD_VALUE_GET')).toBe('GET');
    const incubating = semconvConstants(await importGenerated(path.join(ts.out, 'incubating.ts')));
    expect(incubating.get('ATTR_MESSAGING_DESTINATION_NAME')).toBe('messaging.destination.name');
    expect([...incubating.keys()].every((name) => /^(ATTR_|METRIC_)?(HTTP_REQUEST_METHOD|MESSAGING_DESTINATION|HTTP_SERVER_REQUEST_DURATION)/.test(name))).toBe(true);

    const go = goDeclarations(read((await generateInto({ spec: MODEL, lang: 'go', stability: 'all', only })).out, 'attribute_group.go'));
    expect([...go.keys.values()].sort()).toEqual([
      'http.request.method',
      'messaging.destination.anonymous',
      'messaging.destination.name',
      'messaging.destination.partition.id',
      'messaging.destination.subscription.name',
      'messaging.destination.template',
      'messaging.destination.temporary',
    ]);
    expect(go.enumValues.get('HTTPRequestMethodGet')).toBe('HTTPRequestMethodKey.String("GET")');
  }, 60_000);

  it('a name the model does not define is an options error', async () => {
    await expect(generateConventions({ spec: MODEL, lang: 'go', only: ['http.reqest.method', 'messaging.*'] })).rejects.toThrow(
      "--only: the model defines no attribute, metric or event named 'http.reqest.method'",
    );
  });

  it('the CLI takes it repeated or comma-separated', () => {
    const out = tempDir('conventions-cli-only');
    const run = runCli(['conventions', '--spec', 'test/conventions/fixtures/acme', '--lang', 'go', '--out', out, '--only', 'acme.tenant.id,acme.order.*'], repoRoot);
    expect(run.status).toBe(0);
    expect([...goDeclarations(read(out, 'attribute_group.go')).keys.keys()]).toEqual(['AcmeOrderStatusKey', 'AcmeTenantIDKey']);
  });
});

describe('determinism', () => {
  it('the same model and options give byte-identical files, whatever the order of --spec directories', async () => {
    const acmeHttp = path.join(FIXTURES, 'acme-http');
    for (const lang of ['ts', 'go'] as const) {
      const first = await generateConventions({ spec: [MODEL, acmeHttp], lang, stability: 'all', includeDeprecated: true, schemaUrl: 'https://x/1.0.0' });
      const second = await generateConventions({ spec: [acmeHttp, MODEL], lang, stability: 'all', includeDeprecated: true, schemaUrl: 'https://x/1.0.0' });
      expect(second.files).toEqual(first.files);
    }
  }, 120_000);
});

describe('--schema-url', () => {
  it("replaces the manifest's schema_url in SchemaURL and the headers", async () => {
    const go = await generateInto({ spec: ACME, lang: 'go', schemaUrl: 'https://acme.example/schemas/2.0.0' });
    expect(read(go.out, 'schema.go')).toContain('const SchemaURL = "https://acme.example/schemas/2.0.0"');
    expect(read(go.out, 'doc.go')).toContain('semantic conventions v2.0.0');
    const ts = await generateInto({ spec: ACME, lang: 'ts', schemaUrl: 'https://acme.example/schemas/2.0.0' });
    expect(read(ts.out, 'index.ts')).toContain('from the model of https://acme.example/schemas/2.0.0');
  });
});

describe('--package', () => {
  it('names the Go package', async () => {
    const { out } = await generateInto({ spec: ACME, lang: 'go', package: 'acmeconv' });
    for (const file of ['attribute_group.go', 'doc.go', 'schema.go']) expect(read(out, file)).toMatch(/^package acmeconv$/m);
  });

  it('rejects a name Go would not accept', async () => {
    await expect(generateConventions({ spec: ACME, lang: 'go', package: 'Acme-Conv' })).rejects.toThrow(ConventionsOptionsError);
    await expect(generateConventions({ spec: ACME, lang: 'go', package: 'func' })).rejects.toThrow(/not a Go package name/);
  });
});

describe('--templates', () => {
  it('a file of the same name replaces a built-in template; an empty one removes its output; new ones add files', async () => {
    const templates = writeFiles(tempDir('conventions-templates'), {
      'ts/index.ts.tmpl': [
        '// ACME names{{#version}} v{{version}}{{/version}}',
        '{{#index}}',
        '{{#attributes}}',
        '{{#declare}}',
        'export const {{constName}} = {{keyLiteral}};',
        '{{/declare}}',
        '{{/attributes}}',
        '{{/index}}',
        '',
      ].join('\n'),
      'ts/incubating.ts.tmpl': '',
      'ts/keys.txt.tmpl': '{{#index}}{{#attributes}}{{key}}\n{{/attributes}}{{/index}}',
    });
    const { out, files } = await generateInto({ spec: ACME, lang: 'ts', templates });
    expect(files.map((f) => f.path).sort()).toEqual(['index.ts', 'keys.txt']);
    expect(read(out, 'index.ts')).toBe(
      [
        '// ACME names v1.2.0',
        "export const ATTR_ACME_ORDER_STATUS = 'acme.order.status';",
        "export const ATTR_ACME_PAYMENT_AMOUNT = 'acme.payment.amount';",
        "export const ATTR_ACME_PAYMENT_METHOD = 'acme.payment.method';",
        "export const ATTR_ACME_TENANT_ID = 'acme.tenant.id';",
        '',
      ].join('\n'),
    );
    expect(read(out, 'keys.txt')).toBe('acme.order.status\nacme.payment.amount\nacme.payment.method\nacme.tenant.id\n');
  });

  it('Go: naming.yaml overrides the acronyms; untouched templates stay built-in', async () => {
    const builtIn = read(path.join(repoRoot, 'templates/conventions/go'), 'naming.yaml');
    const templates = writeFiles(tempDir('conventions-templates-go'), {
      'go/naming.yaml': builtIn.replace('acronyms: [', 'acronyms: [\n  ACME,'),
    });
    const { out } = await generateInto({ spec: ACME, lang: 'go', templates });
    const declarations = goDeclarations(read(out, 'attribute_group.go'));
    expect([...declarations.keys.keys()].sort()).toEqual(['ACMEOrderStatusKey', 'ACMEPaymentAmountKey', 'ACMEPaymentMethodKey', 'ACMETenantIDKey']);
    expect(read(out, 'schema.go')).toContain('const SchemaURL = "https://acme.example/schemas/1.2.0"');
  });

  it('a template that uses an unknown field fails at its file:line', async () => {
    const templates = writeFiles(tempDir('conventions-templates-bad'), {
      'ts/index.ts.tmpl': '{{#index}}\n{{#attributes}}\nexport const {{constNam}} = 1;\n{{/attributes}}\n{{/index}}\n',
    });
    const error = await generateConventions({ spec: ACME, lang: 'ts', templates }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).message).toBe(`${path.join(templates, 'ts', 'index.ts.tmpl')}:3: unknown field 'constNam'`);
  });

  it('a directory without the language folder is an options error', async () => {
    const templates = tempDir('conventions-templates-empty');
    await expect(generateConventions({ spec: ACME, lang: 'go', templates })).rejects.toThrow(`--templates ${templates}: no go/ directory`);
  });
});

describe('the CLI', () => {
  it('conventions writes the files and says what it wrote', () => {
    const out = tempDir('conventions-cli');
    const run = runCli(['conventions', '--spec', 'test/conventions/fixtures/acme', '--lang', 'go', '--out', out, '--package', 'acmeconv', '--stability', 'all'], repoRoot);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^otel-instrument conventions: wrote .*attribute_group\.go, .*doc\.go, .*schema\.go \(8 attributes, 7 enum values, 0 metrics, 0 events\)\n$/);
    expect(read(out, 'attribute_group.go')).toMatch(/^package acmeconv$/m);
  });

  it('--help lists the conventions command next to the default one; conventions --help lists its options', () => {
    const help = runCli(['--help'], repoRoot);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/otel-instrument \[paths\.\.\]\s+Rewrite HTTP and messaging call sites/);
    expect(help.stdout).toMatch(/otel-instrument conventions\s+Generate semantic-convention constants/);
    const own = runCli(['conventions', '--help'], repoRoot);
    for (const option of ['--spec', '--lang', '--out', '--stability', '--include-deprecated', '--package', '--templates', '--only']) expect(own.stdout).toContain(option);
  });

  it('a missing required option is a usage error (exit 2)', () => {
    const run = runCli(['conventions', '--lang', 'ts'], repoRoot);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Missing required argument: out');
  });

  it('the default command still instruments paths', () => {
    const dir = tempDir('conventions-cli-default');
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "demo", "type": "module" }\n');
    writeFileSync(path.join(dir, 'a.ts'), "export const load = () => fetch('http://localhost:1/x');\n");
    const run = runCli(['--check', '.'], dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('a.ts:1');
    rmSync(dir, { recursive: true, force: true });
  });
});
