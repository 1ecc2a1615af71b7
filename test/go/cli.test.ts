// `otel-instrument go` through the built CLI: inventory JSON from real Node code, generation into
// --out, existing files kept (handlers.go even with --force), bad options.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyApp, runCli, tempDir } from '../support/cli.js';
import { goTestDir } from './cases.js';
import { SEMCONV_MODELS } from '../support/semconv-model.js';

const nodeApp = path.join(goTestDir, 'interop/node-app');

describe('otel-instrument go', () => {
  it('--json prints the inventory of the Node code and writes nothing', () => {
    const app = copyApp(nodeApp, 'go-cli');
    const result = runCli(['go', '.', '--json'], app);
    expect(result.status, result.stderr).toBe(0);
    const inventory = JSON.parse(result.stdout);
    expect(inventory.routes.map((r: { method: string; route: string }) => `${r.method} ${r.route}`)).toEqual(['GET /node/echo/:id', 'POST /start']);
    expect(inventory.httpCalls).toEqual([{ file: 'server.js', line: expect.any(Number), method: 'POST', url: 'http://127.0.0.1:__GO_PORT__/go/orders' }]);
    expect(inventory.kafka.sends.map((s: { topic: string }) => s.topic)).toEqual(['interop.__RUN__.to-go']);
    expect(inventory.kafka.consumes).toEqual([{ file: 'server.js', line: expect.any(Number), topics: ['interop.__RUN__.from-go'], groupId: 'interop-node-__RUN__' }]);
    expect(inventory.amqp.sendsToQueue.map((s: { queue: string }) => s.queue)).toEqual(['interop.__RUN__.to-go']);
    expect(inventory.amqp.consumes.map((s: { queue: string }) => s.queue)).toEqual(['interop.__RUN__.from-go']);
    // The copy still holds the test's placeholder port, which no URL parser accepts.
    expect(inventory.skipped).toEqual([expect.objectContaining({ what: 'POST http://127.0.0.1:__GO_PORT__/go/orders' })]);
    expect(readFileSync(path.join(app, 'server.js'), 'utf8')).toBe(readFileSync(path.join(nodeApp, 'server.js'), 'utf8'));
  });

  it('--json lists what cannot be mirrored, with file and line', () => {
    const dir = tempDir('go-cli-skipped');
    const result = runCli(['go', '--inventory', path.join(goTestDir, 'fixtures/inventories/full.json'), '--json'], dir);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).skipped).toEqual([
      { origin: 'src/client.ts:22', what: 'HTTP call', reason: 'the URL is not a literal' },
      { origin: 'src/events.ts:19', what: 'kafka send', reason: 'the topic is not a literal' },
    ]);
  });

  it('reads the same inventory from the code after the codemod instrumented it', () => {
    const app = copyApp(nodeApp, 'go-cli-instrumented');
    const withoutLines = (json: string) => JSON.stringify(JSON.parse(json), (key, value) => (key === 'line' || key === 'origin' ? undefined : value));
    const before = runCli(['go', '.', '--json'], app);
    const instrumented = runCli(['.'], app);
    expect(instrumented.status, instrumented.stderr).toBe(0);
    expect(readFileSync(path.join(app, 'server.js'), 'utf8')).toContain('otel-instrument/');
    const after = runCli(['go', '.', '--json'], app);
    expect(withoutLines(after.stdout)).toBe(withoutLines(before.stdout));
  });

  it('generates from a saved inventory, keeps existing files, and --force never touches handlers.go', () => {
    const dir = tempDir('go-cli-out');
    const inventory = path.join(goTestDir, 'fixtures/inventories/full.json');
    const args = ['go', '--inventory', inventory, '--out', 'svc', '--http', 'gin', '--kafka', 'sarama'];
    const first = runCli(args, dir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^wrote svc\/go\.mod$/m);
    expect(first.stdout).toMatch(/^next: cd svc && go mod tidy/m);
    expect(first.stderr).toContain('src/client.ts:22: HTTP call not mirrored: the URL is not a literal');
    expect(readFileSync(path.join(dir, 'svc/go.mod'), 'utf8')).toMatch(/^module svc$/m);
    expect(readFileSync(path.join(dir, 'svc/server.go'), 'utf8')).toContain('otelgin.Middleware(serviceName, errorType)');
    expect(readFileSync(path.join(dir, 'svc/tracing.go'), 'utf8')).toContain('const serviceName = "svc"');
    expect(existsSync(path.join(dir, 'svc/time_ordered_ids.go'))).toBe(false);

    writeFileSync(path.join(dir, 'svc/handlers.go'), '// mine\n');
    writeFileSync(path.join(dir, 'svc/main.go'), '// mine too\n');
    const again = runCli(args, dir);
    expect(again.stdout).toMatch(/^kept svc\/main\.go/m);
    expect(readFileSync(path.join(dir, 'svc/main.go'), 'utf8')).toBe('// mine too\n');

    const forced = runCli([...args, '--force', '--id-generator', 'time-ordered'], dir);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'svc/main.go'), 'utf8')).toContain('func main()');
    expect(readFileSync(path.join(dir, 'svc/handlers.go'), 'utf8')).toBe('// mine\n');
    expect(readFileSync(path.join(dir, 'svc/tracing.go'), 'utf8')).toContain('sdktrace.WithIDGenerator(TimeOrderedIDGenerator{})');
    expect(existsSync(path.join(dir, 'svc/time_ordered_ids.go'))).toBe(true);
  });

  it('--semconv-spec writes internal/semconv from the model and imports it; a key the model lacks is named', () => {
    const dir = tempDir('go-cli-semconv');
    const inventory = path.join(goTestDir, 'fixtures/inventories/http-only.json');
    const model = SEMCONV_MODELS['1.44.0'];
    const result = runCli(['go', '--inventory', inventory, '--out', 'svc', '--module', 'example.com/svc', '--semconv-spec', model], dir);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^wrote svc\/internal\/semconv\/attribute_group\.go$/m);
    const server = readFileSync(path.join(dir, 'svc/server.go'), 'utf8');
    expect(server).toContain('\t"example.com/svc/internal/semconv"\n');
    expect(server).not.toContain('go.opentelemetry.io/otel/semconv/');
    expect(readFileSync(path.join(dir, 'svc/internal/semconv/attribute_group.go'), 'utf8')).toContain('HTTPRouteKey = attribute.Key("http.route")');

    // A registry where http.route was renamed away, and error.* and exception.* are missing.
    mkdirSync(path.join(dir, 'model'));
    writeFileSync(
      path.join(dir, 'model/registry.yaml'),
      ['groups:', '  - id: registry.mini', '    type: attribute_group', '    brief: mini', '    attributes:',
        '      - { id: service.name, type: string, brief: name, stability: stable }',
        '      - id: http.route', '        type: string', '        brief: route', '        stability: stable',
        '        deprecated: { reason: renamed, renamed_to: service.name }', ''].join('\n'),
    );
    const lacking = runCli(['go', '--inventory', inventory, '--out', 'svc2', '--semconv-spec', 'model'], dir);
    expect(lacking.status).toBe(2);
    expect(lacking.stderr).toContain("semconv.HTTPRoute: 'http.route' is deprecated in the model (renamed to 'service.name')");
    expect(lacking.stderr).toContain('semconv.ExceptionStacktrace: the model defines no attribute of that Go name');
    expect(existsSync(path.join(dir, 'svc2'))).toBe(false);
    expect(runCli(['go', '--inventory', inventory, '--out', 'svc3', '--semconv-spec', 'nowhere'], dir).stderr).toContain('--semconv-spec nowhere: no such directory');
  });

  it('rejects a bad module path and a missing --out', () => {
    const dir = tempDir('go-cli-bad');
    const inventory = path.join(goTestDir, 'fixtures/inventories/empty.json');
    const bad = runCli(['go', '--inventory', inventory, '--out', 'svc', '--module', 'has space'], dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--module "has space" is not a valid Go module path');
    const none = runCli(['go', '--inventory', inventory], dir);
    expect(none.status).not.toBe(0);
    expect(none.stderr).toContain('give --out <dir> to generate, or --json to print the inventory');
  });
});
