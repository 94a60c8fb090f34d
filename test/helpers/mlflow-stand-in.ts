/**
 * A local stand-in for an MLflow tracking server, written from MLflow's REST API 2.0 docs
 * (https://mlflow.org/docs/latest/rest-api.html): the registry and tracking calls the hub makes,
 * `max_results`/`page_token` paging (opaque tokens, at most `pageCap` per page), error bodies
 * `{ error_code, message }` with their HTTP statuses, bearer tokens, and an outage switch.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Pair = { key: string; value: string };

export interface StandInVersion {
  version: string;
  run_id?: string;
  source?: string;
  description?: string;
  tags?: Pair[];
  aliases?: string[];
}

export interface StandInModel {
  name: string;
  description?: string;
  tags: Pair[];
  versions: StandInVersion[];
  /** alias → version. */
  aliases: Record<string, string>;
}

export interface StandInRun {
  info: { run_id: string; experiment_id: string; run_name: string; status: string };
  data: { metrics: { key: string; value: number; step: number; timestamp: number }[]; params: Pair[]; tags: Pair[] };
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class MlflowStandIn {
  readonly models = new Map<string, StandInModel>();
  readonly runs = new Map<string, StandInRun>();
  readonly experiments = new Map<string, { experiment_id: string; name: string; lifecycle_stage: string }>();
  /** Every call: method, path, and the status answered. */
  readonly calls: { method: string; path: string; status: number; params: Record<string, string> }[] = [];
  /** The most results one page holds, whatever `max_results` asks (the docs allow a server to return fewer). */
  pageCap = 2;
  /** While > 0, every call answers 503 TEMPORARILY_UNAVAILABLE (and counts down). */
  outage = 0;
  /** When set, calls without `Authorization: Bearer <token>` get 401. */
  token: string | undefined;
  private server: Server | undefined;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  addExperiment(id: string, name: string): void {
    this.experiments.set(id, { experiment_id: id, name, lifecycle_stage: 'active' });
  }

  addRun(run: StandInRun): void {
    this.runs.set(run.info.run_id, run);
  }

  addModel(name: string, tags: Pair[] = [], description = ''): StandInModel {
    const model: StandInModel = { name, description, tags, versions: [], aliases: {} };
    this.models.set(name, model);
    return model;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname.replace(/^\/api\/2\.0\/mlflow\//, '');
    let params: Record<string, string> = Object.fromEntries(url.searchParams);
    let status = 200;
    let body: unknown;
    try {
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        params = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      }
      if (this.token && req.headers.authorization !== `Bearer ${this.token}`)
        throw new ApiError(401, 'UNAUTHENTICATED', 'Missing or invalid credentials');
      if (this.outage > 0) {
        this.outage--;
        throw new ApiError(503, 'TEMPORARILY_UNAVAILABLE', 'The tracking server is restarting');
      }
      body = this.route(`${req.method} ${path}`, params);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, 'INTERNAL_ERROR', (err as Error).message);
      status = e.status;
      body = { error_code: e.code, message: e.message };
    }
    this.calls.push({ method: req.method ?? '', path, status, params });
    // Protobuf's JSON mapping, as MLflow answers: NaN and infinities as the strings "NaN", "Infinity", "-Infinity".
    const json = JSON.stringify(body, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value));
    res.writeHead(status, { 'content-type': 'application/json' }).end(json);
  }

  private route(route: string, p: Record<string, string>): unknown {
    switch (route) {
      case 'GET registered-models/search':
        return this.page(
          [...this.models.values()].sort((a, b) => a.name.localeCompare(b.name)),
          p,
          'registered_models',
          (m) => ({
            name: m.name,
            description: m.description,
            tags: m.tags,
            creation_timestamp: 1,
            last_updated_timestamp: 1,
            aliases: Object.entries(m.aliases).map(([alias, version]) => ({ alias, version })),
          }),
        );
      case 'GET model-versions/search': {
        const name = /^name\s*=\s*'((?:[^'\\]|\\.)*)'$/.exec(p.filter ?? '')?.[1]?.replace(/\\'/g, "'");
        if (p.filter && name === undefined) throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `Invalid filter '${p.filter}'`);
        const versions = [...this.models.values()]
          .filter((m) => name === undefined || m.name === name)
          .flatMap((m) => m.versions.map((v) => ({ model: m, v })));
        return this.page(versions, p, 'model_versions', ({ model, v }) => ({
          name: model.name,
          version: v.version,
          run_id: v.run_id ?? '',
          source: v.source ?? '',
          description: v.description ?? '',
          tags: v.tags ?? [],
          current_stage: 'None',
          status: 'READY',
          aliases: Object.entries(model.aliases)
            .filter(([, version]) => version === v.version)
            .map(([alias]) => alias),
        }));
      }
      case 'GET runs/get': {
        const run = this.runs.get(p.run_id ?? '');
        if (!run) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Run '${p.run_id}' not found`);
        return { run };
      }
      case 'GET experiments/get': {
        const experiment = this.experiments.get(p.experiment_id ?? '');
        if (!experiment) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${p.experiment_id} exists`);
        return { experiment };
      }
      case 'POST registered-models/alias': {
        const { model, version } = this.version(p.name, p.version);
        if (!p.alias) throw new ApiError(400, 'INVALID_PARAMETER_VALUE', "Missing value for required parameter 'alias'");
        model.aliases[p.alias] = version.version;
        return {};
      }
      case 'POST model-versions/set-tag': {
        const { version } = this.version(p.name, p.version);
        version.tags = [...(version.tags ?? []).filter((t) => t.key !== p.key), { key: p.key, value: p.value }];
        return {};
      }
      default:
        throw new ApiError(404, 'ENDPOINT_NOT_FOUND', `No API endpoint for ${route}`);
    }
  }

  private version(name: string | undefined, number: string | undefined): { model: StandInModel; version: StandInVersion } {
    const model = this.models.get(name ?? '');
    if (!model) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${name} not found`);
    const version = model.versions.find((v) => v.version === number);
    if (!version) throw new ApiError(404, 'RESOURCE_DOES_NOT_EXIST', `Model Version (name=${name}, version=${number}) not found`);
    return { model, version };
  }

  /** One page: `max_results` (capped), from the offset an earlier `next_page_token` carries. */
  private page<T>(items: T[], p: Record<string, string>, key: string, shape: (item: T) => unknown): Record<string, unknown> {
    const max = Math.min(Number(p.max_results ?? 100), this.pageCap);
    if (!Number.isInteger(max) || max < 1) throw new ApiError(400, 'INVALID_PARAMETER_VALUE', `Invalid value for max_results: ${p.max_results}`);
    let offset = 0;
    if (p.page_token) {
      const decoded = /^offset:(\d+)$/.exec(Buffer.from(p.page_token, 'base64').toString('utf8'));
      if (!decoded) throw new ApiError(400, 'INVALID_PARAMETER_VALUE', 'Invalid page token');
      offset = Number(decoded[1]);
    }
    const slice = items.slice(offset, offset + max);
    const next = offset + max < items.length ? Buffer.from(`offset:${offset + max}`).toString('base64') : undefined;
    return { [key]: slice.map(shape), ...(next ? { next_page_token: next } : {}) };
  }
}
