// Conventions benchmark (on demand: `npm run bench:conventions`, after `npm run build`): the
// whole v1.44.0 model (semconv/v1.44.0, the embedded model) to TypeScript and to Go, everything included
// (every stability, deprecated names too). Each sample is a fresh Node process, so module
// loading and a cold JIT are counted, as a user running the tool would pay them:
//   - library: import generateConventions, load the model once, render TS and Go, write the files;
//   - CLI: `otel-instrument conventions` once per language (two processes, wall time).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const model = process.env.BENCH_MODEL ?? path.join(root, 'semconv', 'v1.44.0');
const work = path.join(root, 'bench', '.work', 'conventions');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** The compiled tool (`npm run build` writes dist/). */
const dist = path.resolve(root, process.env.BENCH_DIST ?? 'dist');
const LANGS = [
  { lang: 'ts', stability: 'stable', includeDeprecated: true },
  { lang: 'go', stability: 'all', includeDeprecated: true },
];

if (process.argv[2] === '--sample') {
  // One sample, in this (fresh) process; prints its timings as JSON.
  const started = performance.now();
  const { loadModel } = await import(pathToFileURL(path.join(dist, 'src/conventions/load-model.js')).href);
  const { renderConventions, writeConventions } = await import(pathToFileURL(path.join(dist, 'src/conventions/generate.js')).href);
  const imported = performance.now();
  const registry = await loadModel([model]);
  const loaded = performance.now();
  const render = {};
  for (const options of LANGS) {
    const t = performance.now();
    const result = await renderConventions(registry, options);
    await writeConventions(path.join(work, `lib-${options.lang}`), result);
    render[options.lang] = performance.now() - t;
  }
  const done = performance.now();
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ cpu: (cpu.user + cpu.system) / 1000, total: done - started, import: imported - started, load: loaded - imported, ...render }));
  process.exit(0);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const samples = [];
const cli = [];
const cliCpu = [];
for (let run = 0; run < RUNS; run++) {
  rmSync(work, { recursive: true, force: true });
  const sample = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--sample'], { encoding: 'utf8' });
  if (sample.status !== 0) throw new Error(`sample failed:\n${sample.stderr}`);
  samples.push(JSON.parse(sample.stdout));
  const started = process.hrtime.bigint();
  let cpu = 0;
  for (const { lang, stability, includeDeprecated } of LANGS) {
    // What bin/otel-instrument.js does for `conventions`, with the chosen dist/.
    const launcher = 'import(process.argv[1]).then((cli) => cli.main(process.argv.slice(2)))';
    const args = ['-e', launcher, path.join(dist, 'src/conventions/cli.js'), 'conventions', '--spec', model, '--lang', lang, '--out', path.join(work, `cli-${lang}`), '--stability', stability];
    if (includeDeprecated) args.push('--include-deprecated');
    // GNU time adds the process's CPU seconds (user, system) as the last line of stderr.
    const result = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`CLI failed (${result.status}):\n${result.stderr}`);
    const [user, system] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
    cpu += (user + system) * 1000;
  }
  cli.push(Number(process.hrtime.bigint() - started) / 1e6);
  cliCpu.push(cpu);
}
rmSync(work, { recursive: true, force: true });

const ms = (value) => `${Math.round(value)} ms`;
const pick = (key) => median(samples.map((s) => s[key]));
console.log(`Conventions benchmark: ${path.relative(root, model)}, median of ${RUNS} runs, ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
console.log('| step | time |');
console.log('|---|---|');
console.log(`| import the generator | ${ms(pick('import'))} |`);
console.log(`| read + resolve the model (${'YAML'}) | ${ms(pick('load'))} |`);
console.log(`| render + write TypeScript | ${ms(pick('ts'))} |`);
console.log(`| render + write Go | ${ms(pick('go'))} |`);
console.log(`| **library, TS and Go, in one process** | **${ms(pick('total'))}** (target < 1000 ms) |`);
console.log(`| same, CPU time (user + system; less sensitive to other load on the machine) | ${ms(pick('cpu'))} |`);
console.log(`| CLI, \`conventions --lang ts\` + \`--lang go\` (two processes, wall) | ${ms(median(cli))} |`);
console.log(`| same, CPU time | ${ms(median(cliCpu))} |`);
