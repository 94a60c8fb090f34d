import { buildSchema, defaultFieldResolver, parse, type ExecutionArgs, type ExecutionResult, type GraphQLFieldResolver } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/domain/context';
import { PrincipalKind, Role } from '../../src/domain/enums';
import { sharedSubscribe } from '../../src/graphql/shared-subscribe';
import { within } from '../helpers/wait';

// sharedSubscribe on a schema of its own, no hub: a source that hands the same event object to
// every subscriber, as the bus does, and a resolver that counts how often an event is executed.

const schema = buildSchema(`
  type Query { ok: Boolean }
  type Tick { n: Int! label: String! }
  type Subscription { tick(prefix: String): Tick! }
`);

type Event = { n: number };

/** Subscribers' sources fed by `publish`, each event object handed to all of them. */
function fakeBus() {
  const listeners = new Set<(event: Event | number) => void>();
  let ended = 0;
  const source = (): AsyncIterableIterator<Event | number> => {
    const queue: (Event | number)[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    const listener = (event: Event | number) => {
      queue.push(event);
      wake?.();
    };
    listeners.add(listener);
    const iterator: AsyncIterableIterator<Event | number> = {
      async next() {
        while (!queue.length && !done) await new Promise<void>((resolve) => (wake = resolve));
        return done ? { done: true, value: undefined } : { done: false, value: queue.shift()! };
      },
      async return() {
        done = true;
        ended++;
        listeners.delete(listener);
        wake?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  };
  return {
    source,
    publish: (event: Event | number) => listeners.forEach((l) => l(event)),
    listening: () => listeners.size,
    ended: () => ended,
  };
}

const viewer = (id: number, roles: Role[]): Viewer => ({ id, name: `u${id}`, email: `u${id}@test.example`, roles, kind: PrincipalKind.PERSON });

function setup() {
  const bus = fakeBus();
  let executions = 0;
  const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
    if (info.fieldName !== 'tick') return defaultFieldResolver(source, args, context, info);
    executions++;
    const n = typeof source === 'number' ? source : (source as Event).n;
    return { n, label: `${(args as { prefix?: string }).prefix ?? ''}${n}` };
  };
  const document = parse('subscription ($prefix: String) { tick(prefix: $prefix) { n label } }');
  const subscribe = async (variables: Record<string, unknown>, who: Viewer = viewer(1, [Role.SME])) => {
    const args: ExecutionArgs = {
      schema,
      document,
      variableValues: variables,
      contextValue: { viewer: who, reader: undefined },
      fieldResolver,
      subscribeFieldResolver: () => bus.source(),
    };
    const result = await sharedSubscribe(args);
    if (!(Symbol.asyncIterator in result)) throw new Error(`not a stream: ${JSON.stringify(result)}`);
    return result;
  };
  return { bus, subscribe, executions: () => executions };
}

const next = (stream: AsyncIterableIterator<ExecutionResult>) => within(stream.next(), 2_000, 'the next result');

describe('sharedSubscribe', () => {
  it('executes an event once for every subscriber with the same document, variables and viewer', async () => {
    const { bus, subscribe, executions } = setup();
    const streams = await Promise.all(Array.from({ length: 20 }, () => subscribe({ prefix: 'a' })));
    bus.publish({ n: 1 });
    for (const s of streams) expect(await next(s)).toEqual({ done: false, value: { data: { tick: { n: 1, label: 'a1' } } } });
    expect(executions()).toBe(1);
    bus.publish({ n: 2 });
    for (const s of streams) expect(await next(s)).toEqual({ done: false, value: { data: { tick: { n: 2, label: 'a2' } } } });
    expect(executions()).toBe(2);
  });

  it('executes separately for other variables and for another viewer or roles', async () => {
    const { bus, subscribe, executions } = setup();
    const a = await subscribe({ prefix: 'a' });
    const a2 = await subscribe({ prefix: 'a' });
    const b = await subscribe({ prefix: 'b' });
    const otherUser = await subscribe({ prefix: 'a' }, viewer(2, [Role.SME]));
    const otherRoles = await subscribe({ prefix: 'a' }, viewer(1, [Role.SME, Role.RISK_MANAGER]));
    const sameRolesReordered = await subscribe({ prefix: 'a' }, viewer(1, [Role.RISK_MANAGER, Role.SME]));
    bus.publish({ n: 7 });
    for (const s of [a, a2, otherUser, otherRoles, sameRolesReordered])
      expect((await next(s)).value).toEqual({ data: { tick: { n: 7, label: 'a7' } } });
    expect((await next(b)).value).toEqual({ data: { tick: { n: 7, label: 'b7' } } });
    // a and a2 share; b, the other user and the other roles each have their own; reordered roles are the same scope.
    expect(executions()).toBe(4);
  });

  it('executes an event that is not an object for each subscriber', async () => {
    const { bus, subscribe, executions } = setup();
    const streams = await Promise.all(Array.from({ length: 3 }, () => subscribe({})));
    bus.publish(5);
    for (const s of streams) expect((await next(s)).value).toEqual({ data: { tick: { n: 5, label: '5' } } });
    expect(executions()).toBe(3);
  });

  it('ends the source at once on return(), even while waiting for an event', async () => {
    const { bus, subscribe } = setup();
    const stream = await subscribe({});
    expect(bus.listening()).toBe(1);
    const waiting = stream.next();
    expect(await within(stream.return!(), 2_000, 'return()')).toEqual({ done: true, value: undefined });
    expect(bus.ended()).toBe(1);
    expect(bus.listening()).toBe(0);
    expect(await within(waiting, 2_000, 'the waiting read to end')).toEqual({ done: true, value: undefined });
  });

  it('answers a subscription that cannot start with its errors, as graphql-js does', async () => {
    const result = await sharedSubscribe({
      schema,
      document: parse('subscription { tick { n } }'),
      contextValue: { viewer: viewer(1, [Role.SME]), reader: undefined },
      subscribeFieldResolver: () => {
        throw new Error('no source');
      },
    });
    expect(result).toMatchObject({ errors: [expect.objectContaining({ message: 'no source' })] });
  });
});
