// The metrics helper's names come from the semantic-conventions model (issue 14): its ATTR_* and
// METRIC_* constants are the ones `otel-instrument conventions` generates from the embedded v1.44.0
// model, and each metric it records has the model's instrument, unit and attribute list.
import { describe, expect, it } from 'vitest';
import { generateConventions } from '../../src/conventions/generate.js';
import { loadSpecModel } from '../../src/conventions/spec-model.js';
import * as helper from '../../templates/runtime/metrics.js';

/** `export const NAME = 'value' as const;` of a generated TypeScript file. */
function constantsOf(source: string): Map<string, string> {
  return new Map([...source.matchAll(/^export const ((?:ATTR|METRIC)_\w+) = '([^']+)' as const;$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** What each metric may carry, as the tests below check the helper records (see test/e2e/metrics-*.test.ts). */
const RECORDED: Record<string, string[]> = {
  [helper.METRIC_HTTP_SERVER_REQUEST_DURATION]: ['http.request.method', 'url.scheme', 'network.protocol.version', 'http.response.status_code', 'error.type', 'http.route'],
  [helper.METRIC_HTTP_CLIENT_REQUEST_DURATION]: ['http.request.method', 'server.address', 'server.port', 'url.scheme', 'http.response.status_code', 'error.type'],
  [helper.METRIC_MESSAGING_CLIENT_OPERATION_DURATION]: ['messaging.system', 'messaging.operation.name', 'messaging.operation.type', 'messaging.destination.name', 'server.address', 'server.port', 'error.type'],
  [helper.METRIC_MESSAGING_PROCESS_DURATION]: ['messaging.system', 'messaging.operation.name', 'messaging.destination.name', 'messaging.destination.partition.id', 'messaging.consumer.group.name', 'server.address', 'server.port', 'error.type'],
};

describe('templates/runtime/metrics.ts', () => {
  it('names every attribute and metric with the constant the conventions generator writes for it', async () => {
    const { files } = await generateConventions({ lang: 'ts', stability: 'all' });
    const generated = constantsOf(files.find((f) => f.path === 'index.ts')!.content);
    const own = Object.entries(helper).filter(([name]) => /^(ATTR|METRIC)_/.test(name));
    expect(own.length).toBeGreaterThan(10);
    for (const [name, value] of own) expect({ name, value }).toEqual({ name, value: generated.get(name) });
  });

  it('records each metric as the model defines it: histogram in seconds, only attributes the model lists', async () => {
    const registry = await loadSpecModel([]);
    for (const [name, attributes] of Object.entries(RECORDED)) {
      const metric = registry.metrics.find((m) => m.name === name);
      expect(metric, name).toMatchObject({ instrument: 'histogram', unit: 's' });
      expect(attributes.filter((key) => !metric!.attributes.includes(key)), name).toEqual([]);
    }
    // The stable HTTP ones keep the opt-in server.address/port off servers (header-controlled, unbounded).
    expect(RECORDED[helper.METRIC_HTTP_SERVER_REQUEST_DURATION]).not.toContain('server.address');
  });
});
