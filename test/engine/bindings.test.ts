import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { resolveModuleReference } from '../../src/codemod/bindings.js';
import { parseSource } from '../../src/codemod/parse-source.js';

/** Resolves the callee of the last call expression statement in `text`. */
function resolveLastCallee(text: string) {
  const file = parseSource('a.ts', text, () => 'module');
  const last = file.ast.statements[file.ast.statements.length - 1] as ts.ExpressionStatement;
  return resolveModuleReference(file, (last.expression as ts.CallExpression).expression);
}

const cases: [string, { module: string; path: string[] } | undefined][] = [
  ["import express from 'express';\nexpress();", { module: 'express', path: [] }],
  ["import * as ex from 'express';\nex.Router();", { module: 'express', path: ['Router'] }],
  ["import { Router as R } from 'express';\nR();", { module: 'express', path: ['Router'] }],
  ["import e, { Router } from 'express';\nRouter();", { module: 'express', path: ['Router'] }],
  ["const express = require('express');\nexpress.Router();", { module: 'express', path: ['Router'] }],
  ["const { Router } = require('express');\nRouter();", { module: 'express', path: ['Router'] }],
  ["const { Router: R2 } = require('express');\nR2();", { module: 'express', path: ['Router'] }],
  ["const F = require('fastify').default;\nF();", { module: 'fastify', path: [] }],
  ["require('express').Router();", { module: 'express', path: ['Router'] }],
  ["require('fastify')();", { module: 'fastify', path: [] }],
  ["import http from 'node:http';\nhttp.request();", { module: 'http', path: ['request'] }],
  ["import e from 'express';\nother();", undefined],
];

describe('resolveModuleReference', () => {
  for (const [text, expected] of cases) {
    it(text.replace(/\n/g, ' ⏎ '), () => {
      expect(resolveLastCallee(text)).toEqual(expected);
    });
  }
});
