import { createSourceEventStream, execute, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { GraphQLContext } from './context';
import { Loaders } from './loaders';

// graphql-js's `subscribe` executes a subscription's selection set once per event per subscriber:
// with thousands of subscribers of one feed, the same answer is computed thousands of times. The
// bus hands the same message object to every subscriber of this process (the Redis bus fans out
// through a local in-process bus), so the answer hangs off that object: subscribers whose
// document, variables and authorisation scope are the same await one execution, and the answers
// are collected with the event, so nothing grows or goes stale. Each execution gets fresh
// DataLoaders: a subscription lives long, and loaders kept for its whole life would grow for ever
// and answer later events with rows as they were read for earlier ones.

/** Each query string as the client sent it, by the document parsed from it (onSubscribe records them). */
export const querySources = new WeakMap<DocumentNode, string>();

/** The executions of each event, by `answerKey`. */
const answers = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

/** What decides an event's answer besides the event: the operation, its variables, and who may see what. */
function answerKey(args: ExecutionArgs): string {
  const { viewer } = args.contextValue as GraphQLContext;
  const scope = viewer ? [viewer.id, viewer.kind, [...viewer.roles].sort()] : null;
  const query = querySources.get(args.document) ?? print(args.document);
  return JSON.stringify([query, args.operationName ?? null, args.variableValues ?? {}, scope]);
}

/** One event's answer, executed with fresh loaders and the event as the root value. */
function executeEvent(args: ExecutionArgs, event: unknown): Promise<ExecutionResult> {
  const context = args.contextValue as GraphQLContext;
  return Promise.resolve(execute({ ...args, rootValue: event, contextValue: { ...context, loaders: new Loaders(context.reader) } }));
}

/** The event's answer for `key`, executed by the first subscriber that asks and awaited by the others. */
function answerFor(args: ExecutionArgs, key: string, event: unknown): Promise<ExecutionResult> {
  if (typeof event !== 'object' || event === null) return executeEvent(args, event);
  let byKey = answers.get(event);
  if (!byKey) answers.set(event, (byKey = new Map()));
  let answer = byKey.get(key);
  if (!answer) byKey.set(key, (answer = executeEvent(args, event)));
  return answer;
}

/**
 * graphql-ws's `subscribe` option: graphql-js's `subscribe`, except that subscribers of the same
 * event with the same document, variables and authorisation scope share one execution of it, and
 * every execution reads through fresh loaders. The result has `return`, so graphql-ws ends it (and
 * with it the source stream, at once, even while it waits for an event) when the client leaves.
 */
export async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const key = answerKey(args);
  const iterator = source[Symbol.asyncIterator]();
  // As graphql-js's mapAsyncIterator: a mapping that fails ends the source, then fails the read.
  // It takes the read itself, not its step: one async function per delivery, not two.
  const map = async (read: Promise<IteratorResult<unknown>>): Promise<IteratorResult<ExecutionResult>> => {
    const step = await read;
    if (step.done) return step;
    try {
      return { done: false, value: await answerFor(args, key, step.value) };
    } catch (err) {
      await iterator.return?.().catch(() => undefined);
      throw err;
    }
  };
  const results: AsyncIterableIterator<ExecutionResult> = {
    next: () => map(iterator.next()),
    return: async () => (iterator.return ? map(iterator.return()) : { done: true, value: undefined }),
    throw: async (err: unknown) => {
      if (iterator.throw) return map(iterator.throw(err));
      throw err;
    },
    [Symbol.asyncIterator]: () => results,
  };
  return results;
}
