#!/usr/bin/env node
// The `hub` command: runs the TypeScript sources through tsx, so there is no build step. The
// project's tsconfig (legacy decorators) applies wherever the command is started from.
const { join } = require('node:path');

process.env.TSX_TSCONFIG_PATH ??= join(__dirname, '..', 'tsconfig.json');
require('tsx/cjs');
require('../src/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
