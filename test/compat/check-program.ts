import path from 'node:path';
import type * as TypeScript from 'typescript';

/** The `typescript` module of any version from 4.1 on (its API is the same for what is used here). */
export type Compiler = typeof TypeScript;

/** Which @types/node and @opentelemetry/api a check resolves. */
export interface Typings {
  name: string;
  node: string;
  api: string;
}

export interface ProgramFiles {
  /** Holds node_modules/@types/node and node_modules/@opentelemetry/api for this check. */
  rootDir: string;
  module: 'nodenext' | 'commonjs' | 'esnext';
  /** Rendered helpers: every diagnostic in them, or in typings they reach, is a problem. */
  helpers: string[];
  /** A golden input and its output: the output is checked when its input compiles. */
  cases: { name: string; input: string; output: string }[];
  /**
   * Also the strictest checks a project may turn on (`tsc --init` of TypeScript 6 sets the first
   * two): the helpers land in projects compiled that way.
   */
  strictest?: boolean;
}

const STRICTEST: TypeScript.CompilerOptions = {
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noPropertyAccessFromIndexSignature: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noFallthroughCasesInSwitch: true,
  allowUnreachableCode: false,
  allowUnusedLabels: false,
};

export interface ProgramResult {
  problems: string[];
  /** Cases whose input does not compile here, with the first reason. */
  skipped: string[];
  /** Names of the cases whose output was checked. */
  checked: string[];
}

/** `…/node_modules/@scope/name` or `…/node_modules/name` of a file inside a package. */
function packageOf(file: string): string | undefined {
  return /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
}

/**
 * Type-checks the files in one program with options every TypeScript from 4.1 accepts. Syntax
 * errors in declaration files are not skipped by `skipLibCheck`: a file that reaches a package
 * with such errors fails as the user's build would.
 */
export function checkProgram(ts: Compiler, files: ProgramFiles): ProgramResult {
  const options: TypeScript.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2020,
    // No DOM: a Node project need not have it, and the helpers must not depend on it.
    lib: ['lib.es2020.d.ts'],
    module: files.module === 'nodenext' ? ts.ModuleKind.NodeNext : files.module === 'commonjs' ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext,
    moduleResolution: files.module === 'nodenext' ? ts.ModuleResolutionKind.NodeNext : ts.ModuleResolutionKind.NodeJs,
    types: ['node'],
    typeRoots: [path.join(files.rootDir, 'node_modules/@types')],
    ...(files.strictest ? STRICTEST : {}),
  };
  const rootNames = [...files.helpers, ...files.cases.flatMap((c) => [c.input, c.output])];
  const program = ts.createProgram(rootNames, options);
  const format = (d: TypeScript.Diagnostic) => {
    const where = d.file ? `${path.relative(files.rootDir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  };

  const brokenPackages = new Map<string, string>();
  for (const sf of program.getSourceFiles()) {
    const pkg = packageOf(sf.fileName);
    const [first] = program.getSyntacticDiagnostics(sf);
    if (pkg && first && !brokenPackages.has(pkg)) brokenPackages.set(pkg, format(first));
  }
  const nodeTypes = ts.resolveTypeReferenceDirective('node', path.join(files.rootDir, 'index.ts'), options, ts.sys).resolvedTypeReferenceDirective?.resolvedFileName;

  const cache = ts.createModuleResolutionCache(files.rootDir, (name) => name, options);
  const edges = new Map<string, string[]>();
  /** The files `file` imports or references, resolved once. */
  const dependencies = (file: string): string[] => {
    let found = edges.get(file);
    if (found) return found;
    found = [];
    edges.set(file, found);
    const sf = program.getSourceFile(file);
    if (!sf) return found;
    const info = ts.preProcessFile(sf.text, true, true);
    for (const ref of info.importedFiles) {
      const resolved = ts.resolveModuleName(ref.fileName, file, options, ts.sys, cache).resolvedModule;
      if (resolved) found.push(resolved.resolvedFileName);
    }
    for (const ref of info.typeReferenceDirectives) {
      const resolved = ts.resolveTypeReferenceDirective(ref.fileName, file, options, ts.sys).resolvedTypeReferenceDirective;
      if (resolved?.resolvedFileName) found.push(resolved.resolvedFileName);
    }
    for (const ref of info.referencedFiles) found.push(path.resolve(path.dirname(file), ref.fileName));
    return found;
  };
  /** The first syntax error in a package that `file` (or @types/node, always loaded) reaches. */
  const brokenReach = (file: string): string | undefined => {
    const seen = new Set<string>();
    const queue = nodeTypes ? [file, nodeTypes] : [file];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      const pkg = packageOf(next);
      if (pkg && brokenPackages.has(pkg)) return brokenPackages.get(pkg);
      queue.push(...dependencies(next));
    }
    return undefined;
  };
  const diagnosticsOf = (file: string) => {
    const sf = program.getSourceFile(file);
    if (!sf) return [`${path.relative(files.rootDir, file)}: not in the program`];
    return ts.getPreEmitDiagnostics(program, sf).map(format);
  };

  const problems = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map(format);
  for (const helper of files.helpers) {
    problems.push(...diagnosticsOf(helper));
    const broken = brokenReach(helper);
    if (broken) problems.push(`${path.relative(files.rootDir, helper)} reaches typings this compiler cannot parse: ${broken}`);
  }
  const skipped: string[] = [];
  const checked: string[] = [];
  for (const c of files.cases) {
    const reason = diagnosticsOf(c.input)[0] ?? brokenReach(c.input);
    if (reason) {
      skipped.push(`${c.name}: ${reason.split('\n')[0]}`);
      continue;
    }
    checked.push(c.name);
    problems.push(...diagnosticsOf(c.output));
    const broken = brokenReach(c.output);
    if (broken) problems.push(`${c.name}: the output reaches typings this compiler cannot parse: ${broken}`);
  }
  return { problems, skipped, checked };
}
