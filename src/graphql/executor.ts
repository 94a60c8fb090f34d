import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, getVariableValues, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema, type SourceLocation } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { log } from '../logger';
import { graphqlExecutions } from '../metrics';

export interface ExecutorOptions {
  /** Operations that may execute at once; the rest wait their turn in arrival order (`MAX_CONCURRENT_EXECUTIONS`). */
  concurrency: number;
  /** Operations whose estimated cost is at most this never wait: a cheap question is not queued behind dashboards. */
  lightCost: number;
  /** Documents kept compiled (least recently used ones are dropped). */
  compiledDocuments: number;
  /** The estimated cost of an operation, once the limits have measured it (undefined: unknown, treated as heavy). */
  costOf: (context: object) => number | undefined;
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
 * A bounded least-recently-used map: an attacker's stream of distinct documents evicts old entries
 * instead of growing memory.
 */
class Lru<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

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

/**
 * How HTTP operations execute, plugged into Apollo Server through its `gateway` option (Apollo
 * Server 5 has no `executor` option; its migration guide names the gateway for a custom executor).
 * Apollo still parses, validates, runs the plugins (limits, cost, logging, metrics) and formats
 * errors; this only replaces graphql-js's `execute`:
 * - each query document is compiled by graphql-jit into one function per operation and kept (no
 *   per-field dictionaries, resolve-info objects or path lists built at run time: W1's answer
 *   allocates a fraction of what graphql-js allocates). Compiling W1's document takes 2–4 ms,
 *   a small one 0.3 ms: less than parsing and validating it, which every request pays anyway;
 *   a document graphql-jit cannot compile runs on graphql-js, and so do mutations: graphql-js stops
 *   at the first failed non-null root mutation (those before it stay committed, none after runs),
 *   graphql-jit would run the rest;
 * - variables are coerced by graphql-js first, so a bad variable gets graphql-js's message and
 *   Apollo's BAD_USER_INPUT exactly as before;
 * - at most `concurrency` operations execute at once (`Slots`), cheap ones excepted.
 */
export function compiledExecution(schema: GraphQLSchema, options: ExecutorOptions): GatewayInterface {
  const slots = new Slots(options.concurrency, (state, delta) => graphqlExecutions.inc({ state }, delta));
  const compiled = new Lru<CompiledQuery | ExecutionResult>(options.compiledDocuments);

  function compiledFor(key: string, document: DocumentNode, operationName: string | undefined): CompiledQuery | null {
    const known = compiled.get(key);
    if (known) return isCompiledQuery(known) ? known : null;
    let result: CompiledQuery | ExecutionResult;
    try {
      result = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
    } catch (err) {
      log.warn({ err }, 'graphql-jit could not compile a document; graphql-js executes it');
      result = { errors: [] };
    }
    compiled.set(key, result);
    return isCompiledQuery(result) ? result : null;
  }

  const executor: GatewayExecutor = async ({ document, operation, operationName, queryHash, request, context }) => {
    const variables = request.variables ?? {};
    const run = async (): Promise<ExecutionResult> => {
      const jit = operation?.operation === 'query' ? compiledFor(`${queryHash}:${operationName ?? ''}`, document, operationName ?? undefined) : null;
      if (!jit || !operation) return execute({ schema, document, contextValue: context, variableValues: variables, operationName });
      // graphql-js coerces first, so a bad variable gets its message and Apollo's BAD_USER_INPUT as before.
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
      if (coerced.errors) return { errors: coerced.errors };
      return runCompiled(jit, context, variables);
    };
    const cost = options.costOf(context);
    return cost !== undefined && cost <= options.lightCost ? run() : slots.run(run);
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
