// Codemod benchmark (on demand: `npm run bench:codemod`): a generated tree of 10,000 files, 5% of
// them instrumentable; wall time, files/s and peak RSS of whole processes, beside two baselines
// in the same run: read + TS-parse the candidates (lower bound, one thread), and jscodeshift (in
// band). `--check` runs twice: as shipped (plan workers from POOL_THRESHOLD files to parse, see
// src/codemod/plan-pool.ts) and on the main thread alone (OTEL_INSTRUMENT_POOL_THRESHOLD=0).
// BENCH_SWEEP=2000,4000,… instead times `--check` with and without workers on trees of those
// sizes (5% candidates), to find where the workers start to pay.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree } from './generate-tree.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench/.work');
const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SWEEP = process.env.BENCH_SWEEP?.split(',').map(Number);
const pristine = path.join(work, 'pristine');
const ALONE = { OTEL_INSTRUMENT_POOL_THRESHOLD: '0' };
const WORKERS = { OTEL_INSTRUMENT_POOL_THRESHOLD: '1' };
const node = process.execPath;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

if (SWEEP) {
  // Where workers start to pay: --check with and without them, interleaved, per tree size.
  console.log(`Codemod worker sweep: --check, median of ${RUNS} interleaved runs, ${process.version}, ${(await import('node:os')).cpus().length} cores`);
  console.log('| files | files to parse | lower bound | one thread | with workers | workers / one thread |');
  console.log('|---|---|---|---|---|---|');
  for (const files of SWEEP) {
    const tree = path.join(work, `sweep-${files}`);
    generateTree(tree, { files });
    const check = (t) => [node, 'bin/otel-instrument.js', '--check', t];
    const times = { lower: [], alone: [], workers: [] };
    for (let round = 0; round < RUNS; round++) {
      times.lower.push(runOnce('lower bound', (t) => [node, 'bench/baseline-parse.mjs', t], {}, tree).seconds);
      times.alone.push(runOnce('one thread', check, ALONE, tree).seconds);
      times.workers.push(runOnce('workers', check, WORKERS, tree).seconds);
    }
    const ratio = median(times.workers.map((w, i) => w / times.alone[i]));
    const parsed = Math.round(files * 0.05);
    console.log(`| ${files} | ~${parsed} | ${median(times.lower).toFixed(2)} s | ${median(times.alone).toFixed(2)} s | ${median(times.workers).toFixed(2)} s | ${ratio.toFixed(2)}× |`);
    rmSync(tree, { recursive: true, force: true });
  }
  rmSync(path.join(work, 'tree'), { recursive: true, force: true });
  process.exit(0);
}
generateTree(pristine, { files: FILES });

/** One run of a command on a fresh copy of the tree: wall time and peak RSS (GNU time) of the process. */
function runOnce(label, argsFor, env = {}, source = pristine) {
  const tree = path.join(work, 'tree');
  rmSync(tree, { recursive: true, force: true });
  cpSync(source, tree, { recursive: true });
  const [cmd, ...args] = argsFor(tree);
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, ...env } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // --check exits 1 when it finds work, as it should here.
  if (result.status !== 0 && !(result.status === 1 && args.includes('--check'))) throw new Error(`${label} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  const rssKb = Number(result.stderr.trim().split('\n').pop());
  return { seconds, rssMb: rssKb / 1024 };
}

const variants = [
  ['lower bound: read all + TS-parse candidates', (tree) => [node, 'bench/baseline-parse.mjs', tree]],
  ['otel-instrument --check (writes nothing)', (tree) => [node, 'bin/otel-instrument.js', '--check', tree]],
  ['otel-instrument --check, main thread only', (tree) => [node, 'bin/otel-instrument.js', '--check', tree], ALONE],
  ['otel-instrument --dry-run (prints the diff)', (tree) => [node, 'bin/otel-instrument.js', '--dry-run', tree]],
  ['lower bound + write the candidates back', (tree) => [node, 'bench/baseline-parse.mjs', tree, '--write']],
  ['otel-instrument (writes)', (tree) => [node, 'bin/otel-instrument.js', tree]],
  ['jscodeshift --run-in-band (same prefilter)', (tree) => [
    node, 'node_modules/jscodeshift/bin/jscodeshift.js', '--run-in-band', '--silent', '--extensions=ts', '--parser=ts',
    '-t', 'bench/jscodeshift-transform.cjs', tree,
  ]],
];
// Rounds interleave the variants, so a change in machine load touches all of them alike.
const samples = variants.map(() => []);
for (let round = 0; round < RUNS; round++) {
  variants.forEach(([label, argsFor, env], i) => samples[i].push(runOnce(label, argsFor, env)));
}
const results = variants.map(([label], i) => {
  const sorted = [...samples[i]].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[Math.floor(sorted.length / 2)];
  return { label, seconds: median.seconds, filesPerSecond: FILES / median.seconds, rssMb: Math.max(...sorted.map((s) => s.rssMb)) };
});
rmSync(path.join(work, 'tree'), { recursive: true, force: true });

const [lower, check, checkAlone, dryRun, lowerWrite, ours, jscodeshift] = results;
console.log(`Codemod benchmark: ${FILES} files, median of ${RUNS} interleaved runs, ${process.version}, ${(await import('node:os')).cpus().length} cores`);
console.log('| run | wall time | files/s | peak RSS | vs lower bound |');
console.log('|---|---|---|---|');
for (const r of results) console.log(`| ${r.label} | ${r.seconds.toFixed(2)} s | ${Math.round(r.filesPerSecond)} | ${Math.round(r.rssMb)} MB | ${(r.seconds / (/\(writes\)|^lower bound \+ write|^jscodeshift/.test(r.label) ? lowerWrite : lower).seconds).toFixed(2)}× |`);
console.log(`\notel-instrument --check / lower bound: ${(check.seconds / lower.seconds).toFixed(2)}× (target ≤ 1.3×); main thread only ${(checkAlone.seconds / lower.seconds).toFixed(2)}×`);
console.log(`otel-instrument --dry-run / lower bound: ${(dryRun.seconds / lower.seconds).toFixed(2)}× (target ≤ 1.3×)`);
console.log(`otel-instrument / lower bound with writes: ${(ours.seconds / lowerWrite.seconds).toFixed(2)}× (target ≤ 1.3×)`);
console.log(`otel-instrument / lower bound without writes: ${(ours.seconds / lower.seconds).toFixed(2)}×`);
console.log(`jscodeshift / otel-instrument: ${(jscodeshift.seconds / ours.seconds).toFixed(2)}× (target ≥ 4×)`);
console.log(`otel-instrument peak RSS: ${Math.round(Math.max(ours.rssMb, check.rssMb, dryRun.rssMb))} MB (target < 300 MB)`);
