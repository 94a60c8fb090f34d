import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root, Subscription } from 'type-graphql';
import { eventMatches, resolveEventFilter, type EventFilter, type EventFilterInput } from '../../domain/event/event-filter';
import { eventRepository } from '../../domain/event/event.repository';
import { SubscriberOverflowError, type EventMessage } from '../../events/bus';
import { ConnectionArgs } from '../common/connection';
import { LifecycleEventType } from '../common/lifecycle-enums';
import { NodeBase } from '../common/node';
import { rootConnection } from '../common/paging';
import type { GraphQLContext } from '../context';
import { GoalType } from '../goal/goal.type';
import { ModelType, ModelVersionType } from '../model/model.type';
import { loadNode } from '../nodes';
import { UserType } from '../user/user.type';
import { LifecycleEventConnection, LifecycleEventRecord } from './event.type';

@InputType('EventFilter', { description: 'All given conditions must hold.' })
class EventFilterInputType implements EventFilterInput {
  @Field(() => ID, { nullable: true, description: 'Events about the goal or anything under it (KPIs, experiments, runs, models and theirs).' })
  goalId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Events about the model, its versions, their requests, flags, feedback and comments.' })
  modelId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Events whose subject is this node.' })
  subjectId?: string | null;

  @Field(() => [LifecycleEventType], { nullable: true, description: 'Events of any of these types.' })
  types?: LifecycleEventType[] | null;
}

@ArgsType()
class EventsArgs extends ConnectionArgs {
  @Field(() => EventFilterInputType, { nullable: true, description: 'Keeps the events that match; null: all.' })
  filter?: EventFilterInputType | null;
}

/** How many recent event ids each subscriber remembers to drop a repeated delivery. */
const DEDUPE_WINDOW = 1000;

/**
 * The committed events a subscriber asked for, each once, in the order the bus delivers them. A bad
 * filter fails the first read, which graphql-ws sends as an `error` message for this subscription.
 * Returning it ends the bus subscription at once, even while a read waits for an event (a filter
 * that matches nothing would otherwise read the bus for ever). A subscriber that stops reading is
 * dropped by the bus once its buffer is full, and its socket closed. A plain iterator, not a
 * generator or a Repeater: it runs once per subscriber per event, so every promise it saves counts.
 */
function liveEvents(ctx: GraphQLContext, input: EventFilterInput | null | undefined): AsyncIterableIterator<EventMessage> {
  let source: AsyncIterableIterator<EventMessage> | undefined;
  let filter: EventFilter;
  let ended = false;
  const seen = new Set<number>();
  const done: IteratorResult<EventMessage> = { done: true, value: undefined };
  const end = async (): Promise<IteratorResult<EventMessage>> => {
    ended = true;
    await source?.return?.();
    return done;
  };
  /** A step of the bus as this subscriber's: ended, passed on, or skipped (read the next one). */
  const take = (step: IteratorResult<EventMessage>): IteratorResult<EventMessage> | Promise<IteratorResult<EventMessage>> => {
    if (ended) return done;
    if (step.done) return end();
    const message = step.value;
    if (seen.has(message.id) || !eventMatches(filter, message)) return read();
    seen.add(message.id);
    if (seen.size > DEDUPE_WINDOW) seen.delete(seen.values().next().value!);
    return { done: false, value: message };
  };
  const fail = (err: unknown): Promise<IteratorResult<EventMessage>> => {
    if (!(err instanceof SubscriberOverflowError)) throw err;
    ctx.dropSlowSubscriber?.();
    return end();
  };
  // `then` rather than an async function with a loop: fewer promises per delivery.
  const read = (): Promise<IteratorResult<EventMessage>> => source!.next().then(take, fail);
  const iterator: AsyncIterableIterator<EventMessage> = {
    next() {
      if (ended) return Promise.resolve(done);
      if (!source) {
        try {
          filter = resolveEventFilter(input);
        } catch (err) {
          return Promise.reject(err);
        }
        source = ctx.bus.subscribe();
      }
      return read();
    },
    return: end,
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** A bus message as the record the LifecycleEvent type resolves. */
function fromMessage(message: EventMessage): LifecycleEventRecord {
  const { id, occurredAt, ...rest } = message;
  return Object.assign(Object.create(LifecycleEventRecord.prototype) as LifecycleEventRecord, rest, { dbId: id, createdAt: new Date(occurredAt) });
}

@Resolver(() => LifecycleEventRecord)
export class EventResolver {
  @Query(() => LifecycleEventConnection, { description: 'The audit trail, newest first.' })
  events(@Args(() => EventsArgs) { filter, ...args }: EventsArgs, @Ctx() ctx: GraphQLContext) {
    return rootConnection(ctx, eventRepository.events(resolveEventFilter(filter)), args);
  }

  @Subscription(() => LifecycleEventRecord, {
    description: 'Lifecycle events as they are committed, filtered like `events`.',
    subscribe: ({ args, context }) => liveEvents(context as GraphQLContext, (args as { filter?: EventFilterInput }).filter),
  })
  lifecycleEvents(
    @Root() message: EventMessage,
    @Arg('filter', () => EventFilterInputType, { nullable: true, description: 'Keeps the events that match; null: all.' })
    _filter: EventFilterInputType | null,
  ): LifecycleEventRecord {
    return fromMessage(message);
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'Who did it; null for the hub itself (e.g. a monitor).' })
  actor(@Root() event: LifecycleEventRecord, @Ctx() ctx: GraphQLContext) {
    return event.actorId === null ? null : loadNode(ctx, 'User', event.actorId);
  }

  @FieldResolver(() => NodeBase, {
    description:
      'What the event is about: the object the event type names (STAGE_CHANGED: the model version; PROMOTION_*: the request; DRIFT_*: the flag; KPI_*: the KPI; COMMENT_ADDED: the comment; ...).',
  })
  subject(@Root() event: LifecycleEventRecord, @Ctx() ctx: GraphQLContext) {
    return loadNode(ctx, event.subjectType, event.subjectId);
  }

  @FieldResolver(() => GoalType, { nullable: true, description: 'The goal the event concerns, directly or through its subject; null if none.' })
  goal(@Root() event: LifecycleEventRecord, @Ctx() ctx: GraphQLContext) {
    return event.goalId === null ? null : loadNode(ctx, 'Goal', event.goalId);
  }

  @FieldResolver(() => ModelType, { nullable: true, description: 'The model the event concerns, directly or through its subject; null if none.' })
  model(@Root() event: LifecycleEventRecord, @Ctx() ctx: GraphQLContext) {
    return event.modelId === null ? null : loadNode(ctx, 'Model', event.modelId);
  }

  @FieldResolver(() => ModelVersionType, {
    nullable: true,
    description: 'The model version the event concerns, directly or through its subject; null if none.',
  })
  modelVersion(@Root() event: LifecycleEventRecord, @Ctx() ctx: GraphQLContext) {
    return event.modelVersionId === null ? null : loadNode(ctx, 'ModelVersion', event.modelVersionId);
  }
}
