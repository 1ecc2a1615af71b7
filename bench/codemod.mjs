// Codemod benchmark (on demand: `npm run bench:codemod`): a generated tree of 10,000 files, 5% of
// them instrumentable; wall time, files/s and peak RSS of whole processes, beside two baselines
// in the same run: read + TS-parse the candidates (lower bound), and jscodeshift (in band).
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTree } from './generate-tree.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench/.work');
const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const pristine = path.join(work, 'pristine');
generateTree(pristine, { files: FILES });

/** One run of a command on a fresh copy of the tree: wall time and peak RSS (GNU time) of the process. */
function runOnce(label, argsFor) {
  const tree = path.join(work, 'tree');
  rmSync(tree, { recursive: true, force: true });
  cpSync(pristine, tree, { recursive: true });
  const [cmd, ...args] = argsFor(tree);
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // --check exits 1 when it finds work, as it should here.
  if (result.status !== 0 && !(result.status === 1 && args.includes('--check'))) throw new Error(`${label} failed (${result.status}):\n${result.stderr.slice(-2000)}`);
  const rssKb = Number(result.stderr.trim().split('\n').pop());
  return { seconds, rssMb: rssKb / 1024 };
}

const node = process.execPath;
const variants = [
  ['lower bound: read all + TS-parse candidates', (tree) => [node, 'bench/baseline-parse.mjs', tree]],
  ['otel-instrument --check (writes nothing)', (tree) => [node, 'bin/otel-instrument.js', '--check', tree]],
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
  variants.forEach(([label, argsFor], i) => samples[i].push(runOnce(label, argsFor)));
}
const results = variants.map(([label], i) => {
  const sorted = [...samples[i]].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[Math.floor(sorted.length / 2)];
  return { label, seconds: median.seconds, filesPerSecond: FILES / median.seconds, rssMb: Math.max(...sorted.map((s) => s.rssMb)) };
});
rmSync(path.join(work, 'tree'), { recursive: true, force: true });

const [lower, check, lowerWrite, ours, jscodeshift] = results;
console.log(`Codemod benchmark: ${FILES} files, median of ${RUNS} interleaved runs, ${process.version}, ${(await import('node:os')).cpus().length} cores`);
console.log('| run | wall time | files/s | peak RSS |');
console.log('|---|---|---|---|');
for (const r of results) console.log(`| ${r.label} | ${r.seconds.toFixed(2)} s | ${Math.round(r.filesPerSecond)} | ${Math.round(r.rssMb)} MB |`);
console.log(`\notel-instrument --check / lower bound: ${(check.seconds / lower.seconds).toFixed(2)}× (target ≤ 1.5×)`);
console.log(`otel-instrument / lower bound with writes: ${(ours.seconds / lowerWrite.seconds).toFixed(2)}× (target ≤ 1.5×)`);
console.log(`otel-instrument / lower bound without writes: ${(ours.seconds / lower.seconds).toFixed(2)}×`);
console.log(`jscodeshift / otel-instrument: ${(jscodeshift.seconds / ours.seconds).toFixed(2)}× (target ≥ 4×)`);
console.log(`otel-instrument peak RSS: ${Math.round(ours.rssMb)} MB (target < 300 MB)`);
