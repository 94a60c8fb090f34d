import { parse, required, UsageError } from './args';

/**
 * The pipeline commands: they talk to a running hub over HTTP (HUB_URL, HUB_TOKEN), like any API
 * client, and never to its database. Each prints the object it made or found as one JSON line.
 */
export const REMOTE_HELP: Record<string, string> = {
  run: `Usage: hub run log (--experiment ID | --goal ID --experiment-name NAME) [--name N] [--external-id X]
                   [--status RUNNING|FINISHED|FAILED] [--param k=v]... [--metric k=v]... [--tag k=v]...
                   [--dataset-uri URI] [--code-version V]
       hub run metrics --run ID --metric key=value[@step]...

log: logs a run (with --goal and --experiment-name, the experiment is made if the goal has none of
     that name); a known --external-id answers the run logged before. Prints {"id","externalId","status","experimentId"}.
metrics: appends each value to its metric's history (step default 0). Prints {"id","metrics"}.`,
  version: `Usage: hub version create (--model ID | --goal ID --model-name NAME) [--run ID] [--external-id X]
                        [--artifact-uri URI] [--description D] [--metric k=v]... [--tag k=v]...

Creates a model version (with --goal and --model-name, the model is registered if it does not exist);
a known --external-id answers the version created before. Prints {"id","version","modelId","externalId"}.`,
  promote: `Usage: hub promote request --version ID --to STAGING|PRODUCTION|ARCHIVED [--justification TEXT]

Requests a promotion; people review it. Prints {"id","status","toStage"}.`,
  deploy: `Usage: hub deploy record --version ID --environment ENV --status STARTED|SUCCEEDED|FAILED|ROLLED_BACK
                        [--url URL] [--detail TEXT]

Reports a deployment of a version. Prints {"id","environment","status"}.`,
};

/** The remote commands and their one subcommand each, or two for `run`. */
export const REMOTE_SUBCOMMANDS: Record<string, string[]> = {
  run: ['log', 'metrics'],
  version: ['create'],
  promote: ['request'],
  deploy: ['record'],
};

/** The hub answered with a refusal (or not at all): exit 1 with its message. */
export class RemoteError extends Error {}

interface GraphQLAnswer {
  data?: Record<string, Record<string, Record<string, unknown>>> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Sends one operation to HUB_URL with HUB_TOKEN; a GraphQL error or an HTTP failure is a RemoteError. */
async function call(
  env: NodeJS.ProcessEnv,
  query: string,
  variables: Record<string, unknown>,
): Promise<Record<string, Record<string, Record<string, unknown>>>> {
  const base = env.HUB_URL?.trim();
  const token = env.HUB_TOKEN?.trim();
  if (!base) throw new UsageError('HUB_URL is not set: the hub to talk to, e.g. http://127.0.0.1:4000');
  if (!token) throw new UsageError('HUB_TOKEN is not set: a token, e.g. a service account\'s from "hub service-account create"');
  let url: URL;
  try {
    url = new URL(`${base.replace(/\/+$/, '').replace(/\/graphql$/, '')}/graphql`);
  } catch {
    throw new UsageError(`HUB_URL is not a URL: ${base}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('HUB_URL must be an http(s) URL');
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new RemoteError(`cannot reach the hub at ${url}: ${(err as Error).message}`);
  }
  let answer: GraphQLAnswer;
  try {
    answer = (await res.json()) as GraphQLAnswer;
  } catch {
    throw new RemoteError(`the hub at ${url} answered HTTP ${res.status} without JSON`);
  }
  const error = answer.errors?.[0];
  if (error) throw new RemoteError(`${error.extensions?.code ?? `HTTP ${res.status}`}: ${error.message}`);
  if (!answer.data) throw new RemoteError(`the hub at ${url} answered HTTP ${res.status} without data`);
  return answer.data;
}

/** `key=value` pairs (repeatable options) as tags. */
function pairs(name: string, values: string[] | undefined): { key: string; value: string }[] {
  return (values ?? []).map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--${name} takes key=value, got "${pair}"`);
    return { key: pair.slice(0, at), value: pair.slice(at + 1) };
  });
}

function number(name: string, text: string): number {
  const value = Number(text);
  if (!text.trim() || !Number.isFinite(value)) throw new UsageError(`--${name} needs a number, got "${text}"`);
  return value;
}

/** `key=value[@step]` metrics. */
function metrics(values: string[] | undefined, withStep: boolean): { key: string; value: number; step?: number }[] {
  return pairs('metric', values).map(({ key, value }) => {
    const [text, stepText] = withStep ? value.split('@') : [value];
    if (stepText === undefined) return { key, value: number('metric', text) };
    const step = Number(stepText);
    if (!/^\d+$/.test(stepText) || !Number.isSafeInteger(step))
      throw new UsageError(`--metric takes key=value@step with a whole step, got "${key}=${value}"`);
    return { key, value: number('metric', text), step };
  });
}

/** `--param k=v`: a number or true/false when it reads as one, else the text. */
function params(values: string[] | undefined): Record<string, unknown> {
  return Object.fromEntries(
    pairs('param', values).map(({ key, value }) => {
      if (value === 'true' || value === 'false') return [key, value === 'true'];
      const n = Number(value);
      return [key, value.trim() && Number.isFinite(n) ? n : value];
    }),
  );
}

/** Exactly one of `--id` or (`--goal` with `--name`); the rest is usage. */
function target(values: Record<string, unknown>, id: string, name: string): { id?: string; goal?: string; name?: string } {
  const given = (k: string) => typeof values[k] === 'string' && (values[k] as string).trim() !== '';
  if (given(id) === (given('goal') || given(name))) throw new UsageError(`give --${id} ID, or --goal ID with --${name} NAME`);
  if (given(id)) return { id: values[id] as string };
  return { goal: required(values, 'goal'), name: required(values, name) };
}

/** An enum option, upper-cased; anything else is usage. */
function oneOf(values: Record<string, unknown>, name: string, allowed: readonly string[], optional = false): string | undefined {
  if (optional && values[name] === undefined) return undefined;
  const value = required(values, name).toUpperCase();
  if (!allowed.includes(value)) throw new UsageError(`--${name} takes ${allowed.join(', ')}, got "${values[name] as string}"`);
  return value;
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

/** Runs `hub <command> <sub> ...args` against HUB_URL. */
export async function remote(command: string, sub: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const help = REMOTE_HELP[command];
  const text = { type: 'string' } as const;
  const many = { type: 'string', multiple: true } as const;
  if (command === 'run' && sub === 'log') {
    const values = parse(args, {
      experiment: text,
      goal: text,
      'experiment-name': text,
      name: text,
      'external-id': text,
      status: text,
      param: many,
      metric: many,
      tag: many,
      'dataset-uri': text,
      'code-version': text,
    });
    if (values.help) return (print(help), 0);
    const where = target(values, 'experiment', 'experiment-name');
    const input = {
      name: values.name,
      externalId: values['external-id'],
      status: oneOf(values, 'status', ['RUNNING', 'FINISHED', 'FAILED'], true),
      params: params(values.param),
      metrics: metrics(values.metric, false),
      tags: pairs('tag', values.tag),
      datasetUri: values['dataset-uri'],
      codeVersion: values['code-version'],
    };
    const experimentId =
      where.id ?? (await call(env, ENSURE_EXPERIMENT, { input: { goalId: where.goal, name: where.name } })).ensureExperiment.experiment.id;
    const { run } = (await call(env, LOG_RUN, { input: { ...input, experimentId } })).logRun;
    return (print({ id: run.id, externalId: run.externalId, status: run.status, experimentId }), 0);
  }
  if (command === 'run') {
    const values = parse(args, { run: text, metric: many });
    if (values.help) return (print(help), 0);
    const runId = required(values, 'run');
    const points = metrics(values.metric, true);
    if (!points.length) throw new UsageError('run metrics needs at least one --metric key=value[@step]');
    const { run } = (await call(env, LOG_METRICS, { input: { runId, metrics: points } })).logMetrics;
    return (print({ id: run.id, metrics: run.metrics }), 0);
  }
  if (command === 'version') {
    const values = parse(args, {
      model: text,
      goal: text,
      'model-name': text,
      run: text,
      'external-id': text,
      'artifact-uri': text,
      description: text,
      metric: many,
      tag: many,
    });
    if (values.help) return (print(help), 0);
    const where = target(values, 'model', 'model-name');
    const input = {
      runId: values.run,
      externalId: values['external-id'],
      artifactUri: values['artifact-uri'],
      description: values.description,
      metrics: metrics(values.metric, false),
      tags: pairs('tag', values.tag),
    };
    const modelId = where.id ?? (await call(env, ENSURE_MODEL, { input: { goalId: where.goal, name: where.name } })).ensureModel.model.id;
    const { modelVersion } = (await call(env, CREATE_VERSION, { input: { ...input, modelId } })).createModelVersion;
    return (print({ id: modelVersion.id, version: modelVersion.version, modelId, externalId: modelVersion.externalId }), 0);
  }
  if (command === 'promote') {
    const values = parse(args, { version: text, to: text, justification: text });
    if (values.help) return (print(help), 0);
    const input = {
      modelVersionId: required(values, 'version'),
      toStage: oneOf(values, 'to', ['STAGING', 'PRODUCTION', 'ARCHIVED']),
      justification: values.justification,
    };
    const { promotionRequest } = (await call(env, REQUEST_PROMOTION, { input })).requestPromotion;
    return (print(promotionRequest), 0);
  }
  const values = parse(args, { version: text, environment: text, status: text, url: text, detail: text });
  if (values.help) return (print(help), 0);
  const input = {
    modelVersionId: required(values, 'version'),
    environment: required(values, 'environment'),
    status: oneOf(values, 'status', ['STARTED', 'SUCCEEDED', 'FAILED', 'ROLLED_BACK']),
    url: values.url,
    detail: values.detail,
  };
  const { deployment } = (await call(env, RECORD_DEPLOYMENT, { input })).recordDeployment;
  return (print(deployment), 0);
}

const ENSURE_EXPERIMENT = 'mutation ($input: EnsureExperimentInput!) { ensureExperiment(input: $input) { experiment { id } } }';
const LOG_RUN = 'mutation ($input: LogRunInput!) { logRun(input: $input) { run { id externalId status } } }';
const LOG_METRICS = 'mutation ($input: LogMetricsInput!) { logMetrics(input: $input) { run { id metrics { key value } } } }';
const ENSURE_MODEL = 'mutation ($input: EnsureModelInput!) { ensureModel(input: $input) { model { id } } }';
const CREATE_VERSION = 'mutation ($input: CreateModelVersionInput!) { createModelVersion(input: $input) { modelVersion { id version externalId } } }';
const REQUEST_PROMOTION = 'mutation ($input: RequestPromotionInput!) { requestPromotion(input: $input) { promotionRequest { id status toStage } } }';
const RECORD_DEPLOYMENT = 'mutation ($input: RecordDeploymentInput!) { recordDeployment(input: $input) { deployment { id environment status } } }';
