import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

const CLIENT = "module.exports = () => fetch('http://localhost:1/');\n";
// A channel that arrives as a parameter: amqplib cannot tell where it was born, so it warns.
const BUS = "module.exports = function send(channel) {\n  channel.sendToQueue('jobs', Buffer.from('x'));\n};\n";
const WARNING = /^src\/bus\.js:2:3 warning: channel\.sendToQueue\(…\): .+$/m;

function makeProject(): string {
  const dir = tempDir('formats');
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'package.json'), '{ "name": "formats", "dependencies": { "amqplib": "^0.10.0" } }\n');
  writeFileSync(path.join(dir, 'src/bus.js'), BUS);
  writeFileSync(path.join(dir, 'src/client.js'), CLIENT);
  return dir;
}

const client = (dir: string) => readFileSync(path.join(dir, 'src/client.js'), 'utf8');

describe('report formats', () => {
  it('--json is a format, not a mode: alone it writes; with --check or --dry-run it does not', () => {
    const dir = makeProject();
    const check = runCli(['src', '--check', '--json'], dir);
    expect(check.status).toBe(1);
    expect(client(dir)).toBe(CLIENT);
    const report = JSON.parse(check.stdout);
    expect(report.summary).toMatchObject({ changed: 1, sitesToInstrument: 1, warnings: 1 });
    const bus = report.files.find((f: { file: string }) => f.file === 'src/bus.js');
    expect(bus.warnings).toEqual([expect.objectContaining({ transform: 'amqplib', file: 'src/bus.js', line: 2, column: 3 })]);

    const dry = runCli(['src', '--dry-run', '--json'], dir);
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout).summary.changed).toBe(1);
    expect(client(dir)).toBe(CLIENT);

    const write = runCli(['src', '--json'], dir);
    expect(write.status).toBe(0);
    expect(JSON.parse(write.stdout).files.find((f: { file: string }) => f.file === 'src/client.js').status).toBe('changed');
    expect(client(dir)).toContain('tracedFetch(');

    // Only the warning is left: it is listed, and it does not fail --check.
    const again = runCli(['src', '--check'], dir);
    expect(again.stdout).toMatch(WARNING);
    expect(again.stdout.trim().split('\n')).toHaveLength(1);
    expect(again.status).toBe(0);
  });

  it('the default report and --check list warnings as file:line:col warning: why; --dry-run keeps them off the patch', () => {
    const dir = makeProject();
    const check = runCli(['src', '--check'], dir);
    expect(check.stdout).toMatch(WARNING);
    expect(check.stdout).toMatch(/^src\/client\.js:1:24 fetch$/m);
    const dry = runCli(['src', '--dry-run'], dir);
    expect(dry.stdout).not.toContain('warning:');
    expect(dry.stderr).toMatch(WARNING);
    const write = runCli(['src'], dir);
    expect(write.status).toBe(0);
    expect(write.stdout).toMatch(WARNING);
    expect(write.stdout).toMatch(/, 1 warning$/m);
  });

  it('--format github prints workflow annotations; --format markdown a summary with the command that fixes it', () => {
    const dir = makeProject();
    writeFileSync(path.join(dir, 'src/broken.js'), "fetch('x'\n");
    const annotations = runCli(['src', '--check', '--format', 'github'], dir);
    expect(annotations.status).toBe(2);
    const lines = annotations.stdout.trim().split('\n');
    expect(lines).toContain(
      '::warning file=src/client.js,line=1,col=24,title=otel-instrument::fetch: call site without trace context; run `npx otel-instrument src`',
    );
    expect(lines.some((l) => /^::warning file=src\/bus\.js,line=2,col=3,title=otel-instrument::channel\.sendToQueue/.test(l))).toBe(true);
    expect(lines).toContain("::error file=src/broken.js,line=2,col=1,title=otel-instrument::')' expected.");
    expect(annotations.stderr).toBe('');

    const markdown = runCli(['src', '--check', '--only', 'fetch,amqplib', '--format', 'markdown'], dir);
    expect(markdown.status).toBe(2);
    expect(markdown.stdout).toContain('**1 call site to instrument in 1 file.**');
    expect(markdown.stdout).toContain('| `src/client.js:1:24` | `fetch` |');
    expect(markdown.stdout).toMatch(/^### Warnings$/m);
    expect(markdown.stdout).toMatch(/^- `src\/bus\.js:2:3` warning: channel\.sendToQueue/m);
    expect(markdown.stdout).toMatch(/^- src\/broken\.js:2:1: '\)' expected\.$/m);
    expect(markdown.stdout).toContain('```sh\nnpx otel-instrument src --only fetch,amqplib\n```');
    expect(client(dir)).toBe(CLIENT);
  });

  it('--json with another --format is a usage error', () => {
    const run = runCli(['--json', '--format', 'github'], tempDir('formats'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--json conflicts with --format github');
  });
});
