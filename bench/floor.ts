/**
 * The floor for W1: what the dashboard query costs with nothing between HTTP and PostgreSQL. A plain
 * node:http handler answers every POST with the result of one hand-written SQL statement that builds
 * the hub's JSON response with json_agg (same shape and order as the hub's `data`). No parsing, no
 * validation, no authentication, no GraphQL: a lower bound, not a competitor.
 *
 *   DATABASE_URL=postgres://… PORT=0 node --import tsx bench/floor.ts
 *
 * Prints `listening on http://127.0.0.1:<port>/graphql` when ready; GET /__bench/stats tells the
 * statements run so far (one per request).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

/** The W1 query of bench/run.ts, as one statement; `$1` is goals(first:), `$2` models(first:), `$3` comments(first:). */
export const FLOOR_SQL = `
select json_build_object('data', json_build_object('goals', json_build_object('nodes', coalesce((
  select json_agg(goal.obj order by goal.id desc) from (
    select g.id, json_build_object(
      'title', g.title,
      'owner', (select json_build_object('name', u.name) from users u where u.id = g.owner_id),
      'kpis', coalesce((select json_agg(json_build_object('name', k.name, 'current', k.current) order by k.id) from kpis k where k.goal_id = g.id), '[]'::json),
      'models', json_build_object(
        'totalCount', (select count(*) from models m where m.goal_id = g.id),
        'nodes', coalesce((
          select json_agg(model.obj order by model.id desc) from (
            select m.id, json_build_object(
              'name', m.name,
              'owner', (select json_build_object('name', u.name) from users u where u.id = m.owner_id),
              'latestVersion', (
                select json_build_object('version', v.version, 'metrics', v.metrics,
                  'run', case when r.id is null then null else json_build_object('experiment', json_build_object('name', e.name)) end)
                from model_versions v left join runs r on r.id = v.run_id left join experiments e on e.id = r.experiment_id
                where v.model_id = m.id and v.version = m.version_count),
              'productionVersion', (
                select json_build_object('version', v.version, 'card', case when v.card is null then null else json_build_object('featureImportance', coalesce(v.card -> 'featureImportance', '[]'::jsonb)) end)
                from model_versions v where v.model_id = m.id and v.stage = 'PRODUCTION' order by v.version desc limit 1),
              'openDriftFlags', coalesce((
                select json_agg(json_build_object('severity', d.severity, 'description', d.description) order by d.severity_rank desc, d.id desc)
                from drift_flags d where d.model_id = m.id and d.status <> 'RESOLVED'), '[]'::json),
              'comments', json_build_object('nodes', coalesce((
                select json_agg(c.obj order by c.id desc) from (
                  select c.id, json_build_object('author', json_build_object('name', u.name), 'body', c.body) as obj
                  from comments c join users u on u.id = c.author_id
                  where c.subject_type = 'Model' and c.subject_id = m.id order by c.id desc limit $3) c), '[]'::json))
            ) as obj
            from models m where m.goal_id = g.id order by m.id desc limit $2) model), '[]'::json))
    ) as obj
    from goals g order by g.id desc limit $1) goal), '[]'::json))))::text as body`;

async function main(): Promise<void> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('DATABASE_URL is required');
  const pool = new pg.Pool({ connectionString, max: Number(process.env.DB_POOL_MAX ?? 10) });
  let statements = 0;
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/__bench/stats')) {
      if (req.method === 'POST') statements = 0;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ statements, rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20) }));
      return;
    }
    // Drain the request body (whatever query it carries, the answer is the W1 query's).
    req.resume();
    req.on('end', () => {
      statements += 1;
      pool.query<{ body: string }>({ name: 'w1', text: FLOOR_SQL, values: [20, 10, 3] }).then(
        (result) => res.writeHead(200, { 'content-type': 'application/json' }).end(result.rows[0].body),
        (err: Error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: err.message }] })),
      );
    });
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql\n`);
  });
  const stop = () => {
    server.close();
    void pool.end().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) void main();
