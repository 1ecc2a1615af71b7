// Each malformed model (fixtures/malformed/<case>/) fails with every problem at its file:line,
// and the CLI prints them and exits non-zero. Collisions with a deprecated name are settled.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelInvalidError } from '../../src/conventions/errors.js';
import { generateConventions, type Language } from '../../src/conventions/generate.js';
import { runCli, tempDir } from '../support/cli.js';
import { repoRoot } from '../support/golden.js';
import { FIXTURES } from './support.js';

const MALFORMED = path.join(FIXTURES, 'malformed');
const EXCLUDE_HINT = 'rename one or mark one `annotations: {code_generation: {exclude: true}}`';
const TYPES = 'string, int, double, boolean, string[], int[], double[], boolean[], any, template[<type>] or an enum with `members`';

/** `[case, languages, expected lines]`; `{dir}` stands for the case's directory. */
const CASES: Array<[string, Language[], string[]]> = [
  ['yaml-syntax', ['ts', 'go'], ['{dir}/registry.yaml:9: invalid YAML: unexpected end of the stream within a double quoted scalar']],
  ['duplicate-key', ['ts', 'go'], ['{dir}/registry.yaml:9: invalid YAML: duplicated mapping key']],
  ['unknown-ref', ['ts', 'go'], ["{dir}/registry.yaml:17: group 'span.shop.checkout': unknown attribute 'shop.cart.sise' in ref"]],
  ['unknown-ref-group', ['ts', 'go'], ["{dir}/spans.yaml:20: group 'shop.checkout': unknown attribute group 'shop.basket' in ref_group"]],
  ['unknown-extends', ['ts', 'go'], ["{dir}/registry.yaml:15: span 'span.shop.checkout': unknown group 'attributes.shop.common' in extends"]],
  [
    'duplicate-attribute',
    ['ts', 'go'],
    ["{dir}/b.yaml:7: duplicate attribute 'shop.cart.size' (first defined at {dir}/a.yaml:6)"],
  ],
  [
    'duplicate-member',
    ['ts', 'go'],
    ["{dir}/registry.yaml:14: attribute 'shop.cart.state': duplicate enum member 'open' (first defined at {dir}/registry.yaml:11)"],
  ],
  ['bad-type', ['ts', 'go'], [`{dir}/registry.yaml:11: attribute 'shop.cart.size': bad type 'integer' (expected ${TYPES})`]],
  [
    'bad-stability',
    ['ts', 'go'],
    ["{dir}/registry.yaml:8: attribute 'shop.cart.size': unknown stability 'stabel' (expected stable, development, experimental, alpha, beta, release_candidate)"],
  ],
  ['mixed-enum', ['ts', 'go'], ["{dir}/registry.yaml:15: attribute 'shop.cart.state': enum member values must all be strings or all be numbers"]],
  ['rename-nowhere', ['ts', 'go'], ["{dir}/registry.yaml:16: attribute 'shop.basket.size' is renamed to 'shop.cart.count', which is not defined"]],
  [
    'name-collision',
    ['ts'],
    [`{dir}/registry.yaml:10: name collision: attribute 'shop.client_id' and attribute 'shop.client.id' ({dir}/registry.yaml:6) would both be named ATTR_SHOP_CLIENT_ID; ${EXCLUDE_HINT}`],
  ],
  [
    'name-collision',
    ['go'],
    [`{dir}/registry.yaml:10: name collision: attribute 'shop.client_id' and attribute 'shop.client.id' ({dir}/registry.yaml:6) would both be named ShopClientIDKey, ShopClientID; ${EXCLUDE_HINT}`],
  ],
  [
    'go-name-collision',
    ['go'],
    [`{dir}/registry.yaml:11: name collision: attribute 'shop.lineno' and attribute 'shop.line.number' ({dir}/registry.yaml:7) would both be named ShopLineNumberKey, ShopLineNumber; ${EXCLUDE_HINT}`],
  ],
  [
    'several-problems',
    ['ts', 'go'],
    [
      `{dir}/a.yaml:7: attribute 'shop.cart.size': bad type 'number' (expected ${TYPES})`,
      "{dir}/a.yaml:10: attribute 'shop.cart.id': missing `type`",
      "{dir}/b.yaml:14: group 'shop.checkout': unknown attribute 'shop.order.total' in ref",
    ],
  ],
];

const ROWS = CASES.flatMap(([name, langs, lines]) => langs.map((lang) => ({ name, lang, lines })));

describe('malformed models', () => {
  it.each(ROWS)('$name ($lang): $lines', async ({ name, lang, lines }) => {
    const dir = path.join(MALFORMED, name);
    const error = await generateConventions({ spec: dir, lang, stability: 'all', includeDeprecated: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelInvalidError);
    expect((error as ModelInvalidError).lines()).toEqual(lines.map((line) => line.replaceAll('{dir}', dir)));
  });

  it('every fixture directory has a case', () => {
    expect(readdirSync(MALFORMED).sort()).toEqual([...new Set(CASES.map(([name]) => name))].sort());
  });

  it('go-name-collision is only a collision in Go (TypeScript names differ)', async () => {
    const result = await generateConventions({ spec: path.join(MALFORMED, 'go-name-collision'), lang: 'ts' });
    expect(result.files.find((f) => f.path === 'index.ts')?.content).toContain('ATTR_SHOP_LINENO');
  });
});

describe('a collision with a deprecated name (fixtures/collision-settled)', () => {
  const dir = path.join(FIXTURES, 'collision-settled');
  it.each([
    ['ts', 'ATTR_SHOP_CLIENT_ID', "export const ATTR_SHOP_CLIENT_ID = 'shop.client.id' as const;"],
    ['go', 'ShopClientIDKey', 'ShopClientIDKey = attribute.Key("shop.client.id")'],
  ] as const)('%s: keeps the current attribute under %s, leaves the deprecated one out with a warning', async (lang, name, declaration) => {
    const result = await generateConventions({ spec: dir, lang, includeDeprecated: true });
    const all = result.files.map((f) => f.content).join('\n');
    expect(all).toContain(declaration);
    expect(all).not.toContain("'shop.client_id'");
    expect(all).not.toContain('"shop.client_id"');
    expect(result.warnings.map((w) => `${w.file}:${w.line}: ${w.message}`)).toEqual([
      `${dir}/registry.yaml:12: attribute 'shop.client_id' is left out: it would be named ${name}, like attribute 'shop.client.id' (${dir}/registry.yaml:8), which is not deprecated`,
    ]);
  });
});

describe('the CLI on a malformed model', () => {
  it('prints file:line: message on stderr (paths relative to the working directory), writes nothing, exits 2', () => {
    const out = tempDir('conventions-cli-bad');
    const run = runCli(['conventions', '--spec', 'test/conventions/fixtures/malformed/several-problems', '--lang', 'go', '--out', out], repoRoot);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `test/conventions/fixtures/malformed/several-problems/a.yaml:7: attribute 'shop.cart.size': bad type 'number' (expected ${TYPES})`,
      "test/conventions/fixtures/malformed/several-problems/a.yaml:10: attribute 'shop.cart.id': missing `type`",
      "test/conventions/fixtures/malformed/several-problems/b.yaml:14: group 'shop.checkout': unknown attribute 'shop.order.total' in ref",
    ]);
    expect(readdirSync(out)).toEqual([]);
  });

  it('warns about a settled collision on stderr and exits 0', () => {
    const out = tempDir('conventions-cli-warn');
    const run = runCli(['conventions', '--spec', 'test/conventions/fixtures/collision-settled', '--lang', 'ts', '--out', out, '--include-deprecated'], repoRoot);
    expect(run.stderr).toMatch(/^warning: test\/conventions\/fixtures\/collision-settled\/registry\.yaml:12: attribute 'shop\.client_id' is left out/);
    expect(run.status).toBe(0);
    expect(readFileSync(path.join(out, 'index.ts'), 'utf8')).toContain('ATTR_SHOP_CLIENT_ID');
  });
});
