#!/usr/bin/env node
// Runs a TypeScript entry point of this workspace (tools, dev servers) through @swc-node/register,
// which honours tsconfig paths and emits decorator metadata for Nest's dependency injection.
const path = require('node:path');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || path.join(__dirname, '..', '..', 'tsconfig.tools.json');
// the local PostgreSQL roles' settings, unless the environment names its own
require('./local-env.cjs').apply();
require('@swc-node/register');
const [, , entry, ...rest] = process.argv;
if (!entry) {
  console.error('usage: ts-run.cjs <file.ts> [args...]');
  process.exit(64);
}
process.argv = [process.argv[0], path.resolve(entry), ...rest];
require(path.resolve(entry));
