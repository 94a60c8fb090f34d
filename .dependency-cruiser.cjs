/**
 * The layer rules of docs/architecture.md, checked on every `npm test` (and so in CI):
 *   adapters (GraphQL, server, Slack bot, CLI, event relay) → domain (services, repositories) → db.
 * Data flows one way; the ORM and Knex stay in src/domain and src/db; projection modules (src/domain/slack,
 * webhook and mlflow) are leaves the rest of the domain never imports.
 */
const ADAPTERS = '^(src/(graphql|server|events|cli|seed|dashboard|mlflow)/|src/main\\.ts$|bots/)';
/** Domain modules that only listen to events: the core never imports them (aggregates.ts lists them). */
const PROJECTION_MODULES = '^src/domain/(slack|webhook|mlflow)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'adapters-no-orm',
      comment: 'Adapters reach data only through domain services and repositories: no ORM, Knex or driver outside src/domain and src/db.',
      severity: 'error',
      from: { path: ADAPTERS },
      to: { path: '^node_modules/(@mikro-orm/|knex/|better-sqlite3/|pg/)' },
    },
    {
      name: 'adapters-no-entity-internals',
      comment: 'Adapters use repositories and services, not the database wiring (only composition roots open the database).',
      severity: 'error',
      from: { path: ADAPTERS, pathNot: '^src/(main\\.ts|server/http\\.ts)$' },
      to: { path: '^src/db/(orm|mikro-orm\\.config|scale-seed)\\.ts$' },
    },
    {
      name: 'domain-imports-no-adapter',
      comment: 'The domain knows nothing of GraphQL, HTTP, Slack, the CLI or the event bus; they depend on it, never the other way.',
      severity: 'error',
      from: { path: '^src/(domain|db)/' },
      to: { path: ADAPTERS },
    },
    {
      name: 'core-imports-no-projection-module',
      comment: 'Recording an event knows only the projection registry; projection modules register through aggregates.ts.',
      severity: 'error',
      from: { path: '^src/domain/', pathNot: [PROJECTION_MODULES, '^src/domain/aggregates\\.ts$'] },
      to: { path: PROJECTION_MODULES },
    },
    {
      name: 'graphql-no-server-or-bots',
      severity: 'error',
      from: { path: '^src/graphql/' },
      to: { path: '^(src/server/|bots/|src/cli/|src/main\\.ts$)' },
    },
    {
      name: 'bots-no-graphql',
      comment: 'The Slack bot calls the domain like the API does, not the API itself.',
      severity: 'error',
      from: { path: '^bots/' },
      to: { path: '^src/(graphql|server)/' },
    },
    {
      name: 'dashboard-is-a-browser-client',
      comment: 'The dashboard talks to the public API only: no server code in the browser bundle.',
      severity: 'error',
      from: { path: '^src/dashboard/' },
      to: { path: '^(src/(?!dashboard/)|bots/)' },
    },
    {
      name: 'no-circular',
      comment: 'Runtime import cycles make load order matter; type-only cycles are harmless.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports is dead code (entry points and generated files excepted).',
      severity: 'error',
      from: {
        orphan: true,
        pathNot: ['\\.d\\.ts$', '^src/main\\.ts$', '^src/graphql/emit-schema\\.ts$', '^src/dashboard/main\\.ts$', '^src/generated/', '^migrations/'],
      },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'What runs in production must not need a devDependency.',
      severity: 'error',
      from: { path: '^(src|bots|migrations)/', pathNot: '^src/generated/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: ['node_modules/@types/'] },
    },
    {
      name: 'no-duplicate-dep-types',
      severity: 'warn',
      from: {},
      to: { moreThanOneDependencyType: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
