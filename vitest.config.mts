import { defineConfig } from 'vitest/config';
import swc from 'unplugin-swc';

export default defineConfig({
  plugins: [swc.vite()],
  // Without this alias tests load graphql's .mjs build and the server its .js build: "another module or realm".
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    env: { LOG_LEVEL: 'warn' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
