import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  execute,
  getVariableValues,
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SourceLocation,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { log } from '../logger';
import { executionsSkipped, graphqlExecutions } from '../metrics';

export interface ExecutorOptions {
  /** Operations that may execute at once; the rest wait their turn in arrival order (`MAX_CONCURRENT_EXECUTIONS`). */
  concurrency: number;
  /** Operations whose estimated cost is at most this never wait: a cheap question is not queued behind dashboards. */
  lightCost: number;
  /** Characters of document source kept compiled, in all (least recently used ones are dropped first). */
  compiledSource: number;
  /** The estimated cost of an operation, once the limits have measured it (undefined: unknown, treated as heavy). */
  costOf: (context: object) => number | undefined;
  /** Answers a query without the resolvers when it can (src/graphql/planner.ts); null: it runs as usual. */
  plan?: (request: PlanRequest) => Promise<ExecutionResult | null>;
}

/** A query with its variables coerced, for `ExecutorOptions.plan`. */
export interface PlanRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
  context: unknown;
}

/**
 * At most `limit` tasks at once, the others in arrival order. A dashboard's answer takes a few MB
 * of short-lived objects: thirty of them at once cost more in garbage collection than they gain in
 * overlap on a two-core machine, and they finish in arrival order instead of all late together.
 */
export class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /** `count(state, ±1)` as tasks start waiting and running and stop (for a gauge). */
  constructor(
    private readonly limit: number,
    private readonly count: (state: 'running' | 'queued', delta: number) => void = () => undefined,
  ) {}

  async run<T>(task: () => Promise<T> | T): Promise<T> {
    if (this.running >= this.limit) {
      this.count('queued', 1);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      this.count('queued', -1);
    } else this.running++;
    this.count('running', 1);
    try {
      return await task();
    } finally {
      this.count('running', -1);
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Operations waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }
}

/**
 * A least-recently-used map bounded by the total weight of its entries: an attacker's stream of
 * distinct documents evicts old entries instead of growing memory.
 */
export class Lru<V> {
  private readonly entries = new Map<string, { value: V; weight: number }>();
  private total = 0;

  constructor(private readonly maxWeight: number) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry?.value;
  }

  set(key: string, value: V, weight = 1): void {
    this.delete(key);
    this.entries.set(key, { value, weight });
    this.total += weight;
    while (this.total > this.maxWeight) this.delete(this.entries.keys().next().value!);
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.weight;
  }
}

/** A document is compiled the second time it is asked: a one-off query is not worth compiling. */
const COMPILE_AFTER = 2;

/** Documents whose askings are counted (about 200 bytes each). */
const ASKED_REMEMBERED = 10_000;

/**
 * Documents longer than this run on graphql-js: compiling costs about 11 ms per 1,000 characters
 * of the document and keeps about 170 bytes per character (a 12,000-character one: 134 ms and 2 MB), while the
 * dashboard's largest query has 2,000.
 */
const MAX_COMPILED_SOURCE = 8_192;

/** What graphql-jit reports: its own error type, which inherits graphql-js's prototype but may lack `extensions`. */
interface JitError {
  message: string;
  locations?: readonly SourceLocation[];
  path?: readonly (string | number)[];
  originalError?: Error | null;
  extensions?: Record<string, unknown>;
}

/**
 * graphql-jit's errors as real graphql-js errors, so that Apollo and error formatting
 * (src/graphql/errors.ts) find the domain error behind each exactly as after graphql-js's `execute`.
 */
function asGraphQLError(error: JitError): GraphQLError {
  const original = error.originalError ?? undefined;
  if (original instanceof GraphQLError && original.path && original.extensions) return original;
  const converted = new GraphQLError(error.message, { path: error.path, originalError: original, extensions: error.extensions });
  if (error.locations) (converted as { locations?: readonly SourceLocation[] }).locations = error.locations;
  return converted;
}

/** A compiled query's result with graphql-js errors. */
async function runCompiled(jit: CompiledQuery, context: unknown, variables: Record<string, unknown>): Promise<ExecutionResult> {
  const result = await jit.query(undefined, context, variables);
  return result.errors ? { ...result, errors: (result.errors as readonly JitError[]).map(asGraphQLError) } : result;
}

/** The answer of a query skipped because its client left while it waited; nobody receives it. */
function notRun(): ExecutionResult {
  executionsSkipped.inc();
  return {
    errors: [
      new GraphQLError('The client closed its connection before the query ran; it was not executed.', {
        extensions: { code: 'CLIENT_CLOSED_REQUEST' },
      }),
    ],
  };
}

/**
 * How HTTP operations execute, plugged into Apollo Server through its `gateway` option (Apollo
 * Server 5 has no `executor` option; its migration guide names the gateway for a custom executor).
 * Apollo still parses, validates, runs the plugins (limits, cost, logging, metrics) and formats
 * errors; this only replaces graphql-js's `execute`:
 * - a query document asked a second time is compiled by graphql-jit into one function per
 *   operation and kept (no per-field dictionaries, resolve-info objects or path lists built at
 *   run time: W1's answer allocates a fraction of what graphql-js allocates). Compiling W1's
 *   document takes 2–4 ms, a small one 0.3 ms; one-off documents, very long ones, those with
 *   `__proto__` in them and documents graphql-jit cannot compile run on graphql-js, and so do
 *   mutations: graphql-js stops
 *   at the first failed non-null root mutation (those before it stay committed, none after runs),
 *   graphql-jit would run the rest;
 * - variables are coerced by graphql-js first, so a bad variable gets graphql-js's message and
 *   Apollo's BAD_USER_INPUT exactly as before;
 * - at most `concurrency` operations execute at once (`Slots`), cheap ones excepted; a query whose
 *   client left while it waited for a slot is not run (`notRun`).
 */
export function compiledExecution(schema: GraphQLSchema, options: ExecutorOptions): GatewayInterface {
  const slots = new Slots(options.concurrency, (state, delta) => graphqlExecutions.inc({ state }, delta));
  const compiled = new Lru<CompiledQuery | ExecutionResult>(options.compiledSource);
  const asked = new Lru<number>(ASKED_REMEMBERED);

  function compiledFor(key: string, source: string, document: DocumentNode, operationName: string | undefined): CompiledQuery | null {
    const known = compiled.get(key);
    if (known) return isCompiledQuery(known) ? known : null;
    // graphql-jit writes each answer object as an object literal, where a key `__proto__` sets the
    // prototype instead of adding the key: a document that may have one runs on graphql-js.
    if (source.length > MAX_COMPILED_SOURCE || source.includes('__proto__')) return null;
    const times = (asked.get(key) ?? 0) + 1;
    asked.set(key, times, 1);
    if (times < COMPILE_AFTER) return null;
    let result: CompiledQuery | ExecutionResult;
    try {
      result = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
    } catch (err) {
      log.warn({ err }, 'graphql-jit could not compile a document; graphql-js executes it');
      result = { errors: [] };
    }
    compiled.set(key, result, source.length);
    return isCompiledQuery(result) ? result : null;
  }

  const executor: GatewayExecutor = async ({ document, operation, operationName, queryHash, request, context, source }) => {
    const variables = request.variables ?? {};
    const run = async (): Promise<ExecutionResult> => {
      const query = operation?.operation === 'query' ? operation : null;
      // Coerced as graphql-js's execute coerces them (at most 50 errors), so a bad variable gets its message and Apollo's BAD_USER_INPUT as before.
      const coerced = query ? getVariableValues(schema, query.variableDefinitions ?? [], variables, { maxErrors: 50 }) : null;
      if (coerced?.errors) return { errors: coerced.errors };
      if (query && coerced?.coerced && options.plan) {
        const planned = await options.plan({ document, operation: query, variables: coerced.coerced, context });
        if (planned) return planned;
      }
      const jit = query ? compiledFor(`${queryHash}:${operationName ?? ''}`, source ?? '', document, operationName ?? undefined) : null;
      if (!jit) return execute({ schema, document, contextValue: context, variableValues: variables, operationName });
      return runCompiled(jit, context, variables);
    };
    const cost = options.costOf(context);
    if (cost !== undefined && cost <= options.lightCost) return run();
    // A query whose client hung up while it waited is not run: nobody would read the answer, and a
    // client that fires heavy queries and leaves would otherwise hold every slot for everyone.
    // Mutations run regardless: the client cannot know whether they did.
    const gone = operation?.operation === 'query' ? (context as { clientGone?: () => boolean }).clientGone : undefined;
    return slots.run(() => (gone?.() ? notRun() : run()));
  };

  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {},
  };
}
