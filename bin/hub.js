#!/usr/bin/env node
// The `hub` command: runs the TypeScript sources through tsx, so there is no build step.
require('tsx/cjs');
require('../src/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
