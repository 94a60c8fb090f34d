import type { MlflowExperiment, MlflowModelVersion, MlflowRegisteredModel, MlflowRun, MlflowSource } from '../domain/mlflow/mlflow.service';

/** An MLflow error: its HTTP status and, from the body MLflow sends, `error_code` and `message`. */
export class MlflowError extends Error {
  constructor(
    readonly status: number | null,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'MlflowError';
  }

  /** A network error, a timeout, 429 or 5xx: worth trying again later. */
  get transient(): boolean {
    return this.status === null || this.status === 429 || this.status >= 500;
  }
}

export interface MlflowClientOptions {
  /** The tracking server, e.g. `http://mlflow:5000` (the REST API is under `/api/2.0/mlflow/`). */
  url: string;
  /** `MLFLOW_TRACKING_TOKEN`: sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Per request (default 15 s). */
  timeoutMs?: number;
  /** Page size of the searches (default 100). */
  pageSize?: number;
}

/** The most pages one search follows: a server that hands out tokens for ever cannot hold a sync for ever. */
const MAX_PAGES = 10_000;

/** MLflow's REST API 2.0, the calls the bridge makes. */
export class MlflowClient implements MlflowSource {
  private readonly base: string;
  private readonly pageSize: number;

  constructor(private readonly options: MlflowClientOptions) {
    this.base = `${options.url.replace(/\/+$/, '')}/api/2.0/mlflow/`;
    this.pageSize = options.pageSize ?? 100;
  }

  registeredModels(): AsyncIterable<MlflowRegisteredModel> {
    return this.pages('registered-models/search', {}, (body) => (body.registered_models ?? []) as MlflowRegisteredModel[]);
  }

  modelVersions(name: string): AsyncIterable<MlflowModelVersion> {
    return this.pages(
      'model-versions/search',
      { filter: `name='${name.replace(/'/g, "\\'")}'` },
      (body) => (body.model_versions ?? []) as MlflowModelVersion[],
    );
  }

  async run(runId: string): Promise<MlflowRun> {
    return (await this.call('GET', 'runs/get', { run_id: runId })).run as MlflowRun;
  }

  async experiment(experimentId: string): Promise<MlflowExperiment> {
    return (await this.call('GET', 'experiments/get', { experiment_id: experimentId })).experiment as MlflowExperiment;
  }

  /** Points a registered-model alias (e.g. `champion`) at a version. */
  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call('POST', 'registered-models/alias', { name, alias, version });
  }

  async setVersionTag(name: string, version: string, key: string, value: string): Promise<void> {
    await this.call('POST', 'model-versions/set-tag', { name, version, key, value });
  }

  private async *pages<T>(path: string, query: Record<string, string>, items: (body: Record<string, unknown>) => T[]): AsyncGenerator<T> {
    let token: string | undefined;
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await this.call('GET', path, { ...query, max_results: String(this.pageSize), ...(token ? { page_token: token } : {}) });
      yield* items(body);
      token = typeof body.next_page_token === 'string' && body.next_page_token ? body.next_page_token : undefined;
      if (!token || seen.has(token)) return;
      seen.add(token);
    }
  }

  private async call(method: 'GET' | 'POST', path: string, params: Record<string, string>): Promise<Record<string, unknown>> {
    const url = new URL(path, this.base);
    if (method === 'GET') for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
        },
        body: method === 'POST' ? JSON.stringify(params) : undefined,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
        redirect: 'error',
      });
    } catch (err) {
      throw new MlflowError(null, 'NETWORK_ERROR', `MLflow ${path}: ${(err as Error).message}`);
    }
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      if (res.ok) throw new MlflowError(res.status, 'BAD_RESPONSE', `MLflow ${path}: the answer is not JSON`);
    }
    if (!res.ok) {
      const code = typeof body.error_code === 'string' ? body.error_code : `HTTP_${res.status}`;
      const message = typeof body.message === 'string' ? body.message : text.slice(0, 200);
      throw new MlflowError(res.status, code, `MLflow ${path}: ${code}: ${message}`);
    }
    return body;
  }
}
