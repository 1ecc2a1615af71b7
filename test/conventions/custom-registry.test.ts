// A company registry of its own (fixtures/acme: one classic `groups:` file, one
// `file_format: definition/2` file) generates what its author expects, in both languages.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/conventions/load-model.js';
import { ModelInvalidError } from '../../src/conventions/errors.js';
import { FIXTURES, generateInto, goDeclarations, importGenerated, MODELS, semconvConstants } from './support.js';

const ACME = path.join(FIXTURES, 'acme');

/** What the author of fixtures/acme expects in the stable TypeScript entry. */
const TS_STABLE = {
  ATTR_ACME_ORDER_STATUS: 'acme.order.status',
  ACME_ORDER_STATUS_VALUE_PLACED: 'placed',
  ACME_ORDER_STATUS_VALUE_SHIPPED: 'shipped',
  ATTR_ACME_PAYMENT_AMOUNT: 'acme.payment.amount',
  ATTR_ACME_PAYMENT_METHOD: 'acme.payment.method',
  ACME_PAYMENT_METHOD_VALUE_CARD: 'card',
  ACME_PAYMENT_METHOD_VALUE_INVOICE: 'invoice',
  ATTR_ACME_TENANT_ID: 'acme.tenant.id',
  METRIC_ACME_ORDERS_PROCESSED: 'acme.orders.processed',
};

/** …and what the incubating entry adds to it. */
const TS_INCUBATING_ONLY = {
  ATTR_ACME_FEATURE_FLAGS: 'acme.feature.flags',
  ATTR_ACME_HTTP_HEADER: 'template:acme.http.header.KEY',
  ACME_ORDER_STATUS_VALUE_ON_HOLD: 'on-hold',
  ATTR_ACME_PAYMENT_PRIORITY: 'acme.payment.priority',
  ACME_PAYMENT_PRIORITY_VALUE_LOW: 1,
  ACME_PAYMENT_PRIORITY_VALUE_HIGH: 2,
  ATTR_ACME_RETRY_COUNT: 'acme.retry.count',
  METRIC_ACME_PAYMENT_DURATION: 'acme.payment.duration',
};

describe('custom registry (fixtures/acme) to TypeScript', () => {
  it('index.ts holds the stable names, incubating.ts adds the others', async () => {
    const { out, files, warnings, schemaUrl } = await generateInto({ spec: ACME, lang: 'ts' });
    expect(files.map((f) => f.path).sort()).toEqual(['incubating.ts', 'index.ts']);
    expect(warnings).toEqual([]);
    expect(schemaUrl).toBe('https://acme.example/schemas/1.2.0');
    expect(Object.fromEntries(semconvConstants(await importGenerated(path.join(out, 'index.ts'))))).toEqual(TS_STABLE);
    expect(Object.fromEntries(semconvConstants(await importGenerated(path.join(out, 'incubating.ts'))))).toEqual({ ...TS_STABLE, ...TS_INCUBATING_ONLY });
  });

  it('documents each constant with its brief, examples, note, stability and deprecation', async () => {
    const { out } = await generateInto({ spec: ACME, lang: 'ts', includeDeprecated: true });
    const index = readFileSync(path.join(out, 'index.ts'), 'utf8');
    const incubating = readFileSync(path.join(out, 'incubating.ts'), 'utf8');
    expect(index).toContain(
      [
        '/**',
        ' * The tenant that owns the request.',
        ' *',
        ' * @example t-42',
        ' * @example t-7',
        ' *',
        " * @note Never a customer's personal name.",
        ' */',
        "export const ATTR_ACME_TENANT_ID = 'acme.tenant.id' as const;",
      ].join('\n'),
    );
    expect(incubating).toMatch(/@experimental This attribute is experimental[^\n]*\n \*\/\nexport const ATTR_ACME_RETRY_COUNT = /);
    expect(incubating).toMatch(/@deprecated Replaced by `acme\.tenant\.id`\.\n \*\/\nexport const ATTR_ACME_ACCOUNT_ID = 'acme\.account\.id' as const;/);
    expect(incubating).toContain('export const ATTR_ACME_HTTP_HEADER = (key: string) => `acme.http.header.${key}`;');
    expect(incubating).toContain("export * from './index.js';");
  });
});

describe('custom registry (fixtures/acme) to Go', () => {
  it('--stability all: every key, value helper and enum value, with Go acronyms', async () => {
    const { out } = await generateInto({ spec: ACME, lang: 'go', stability: 'all', package: 'acmeconv' });
    const source = readFileSync(path.join(out, 'attribute_group.go'), 'utf8');
    expect(source).toMatch(/^package acmeconv$/m);
    const declarations = goDeclarations(source);
    expect(Object.fromEntries(declarations.keys)).toEqual({
      AcmeFeatureFlagsKey: 'acme.feature.flags',
      AcmeOrderStatusKey: 'acme.order.status',
      AcmePaymentAmountKey: 'acme.payment.amount',
      AcmePaymentMethodKey: 'acme.payment.method',
      AcmePaymentPriorityKey: 'acme.payment.priority',
      AcmeRetryCountKey: 'acme.retry.count',
      AcmeTenantIDKey: 'acme.tenant.id',
    });
    expect(Object.fromEntries(declarations.funcs)).toEqual({
      AcmeFeatureFlags: 'val ...string',
      AcmeHTTPHeader: 'key string, val string',
      AcmePaymentAmount: 'val float64',
      AcmeRetryCount: 'val int',
      AcmeTenantID: 'val string',
    });
    expect(Object.fromEntries(declarations.enumValues)).toEqual({
      AcmeOrderStatusPlaced: 'AcmeOrderStatusKey.String("placed")',
      AcmeOrderStatusShipped: 'AcmeOrderStatusKey.String("shipped")',
      AcmeOrderStatusOnHold: 'AcmeOrderStatusKey.String("on-hold")',
      AcmePaymentMethodCard: 'AcmePaymentMethodKey.String("card")',
      AcmePaymentMethodInvoice: 'AcmePaymentMethodKey.String("invoice")',
      AcmePaymentPriorityLow: 'AcmePaymentPriorityKey.Int(1)',
      AcmePaymentPriorityHigh: 'AcmePaymentPriorityKey.Int(2)',
    });
    expect(readFileSync(path.join(out, 'schema.go'), 'utf8')).toContain('const SchemaURL = "https://acme.example/schemas/1.2.0"');
    expect(source).toContain(
      [
        '\t// AcmeTenantIDKey is the attribute Key conforming to the "acme.tenant.id"',
        '\t// semantic conventions. It represents the tenant that owns the request.',
        '\t//',
        '\t// Type: string',
        '\t// RequirementLevel: Recommended',
        '\t// Stability: Stable',
        '\t//',
        '\t// Examples: "t-42", "t-7"',
        '\t//',
        "\t// Note: Never a customer's personal name.",
        '\tAcmeTenantIDKey = attribute.Key("acme.tenant.id")',
      ].join('\n'),
    );
  });

  it('default (stable): stable keys and stable enum values only', async () => {
    const { out } = await generateInto({ spec: ACME, lang: 'go' });
    const declarations = goDeclarations(readFileSync(path.join(out, 'attribute_group.go'), 'utf8'));
    expect([...declarations.keys.keys()].sort()).toEqual(['AcmeOrderStatusKey', 'AcmePaymentAmountKey', 'AcmePaymentMethodKey', 'AcmeTenantIDKey']);
    expect([...declarations.enumValues.keys()].sort()).toEqual([
      'AcmeOrderStatusPlaced',
      'AcmeOrderStatusShipped',
      'AcmePaymentMethodCard',
      'AcmePaymentMethodInvoice',
    ]);
  });
});

describe('a registry that builds on the official one (fixtures/acme-http)', () => {
  const acmeHttp = path.join(FIXTURES, 'acme-http');

  it('alone, it is read on top of the embedded model; with the embedded model removed, its refs to official names are unknown, each at its file:line', async () => {
    const { out } = await generateInto({ spec: acmeHttp, lang: 'ts' });
    expect(semconvConstants(await importGenerated(path.join(out, 'index.ts'))).get('ATTR_HTTP_REQUEST_METHOD')).toBe('http.request.method');
    const error = await loadModel([acmeHttp]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelInvalidError);
    const file = path.join(acmeHttp, 'registry.yaml');
    expect((error as ModelInvalidError).lines()).toEqual([
      `${file}:19: span 'span.acme.http.server': unknown group 'attributes.http.server' in extends`,
      `${file}:22: group 'span.acme.http.server': unknown attribute 'http.request.method' in ref`,
    ]);
  });

  it('read with the official model (--spec model --spec acme-http), it adds its names to the official ones', async () => {
    const { out } = await generateInto({ spec: [MODELS['1.44.0'], acmeHttp], lang: 'ts' });
    const index = semconvConstants(await importGenerated(path.join(out, 'index.ts')));
    expect(index.get('ATTR_ACME_ROUTE_OWNER')).toBe('acme.route.owner');
    expect(index.get('ATTR_HTTP_REQUEST_METHOD')).toBe('http.request.method');
  });
});
