import type { EntityManager } from '@mikro-orm/knex';
import type { ServiceContext } from '../context';
import { projectToSlack } from '../notification/projector';
import { LifecycleEvent, LifecycleEventType, OutboxEntry } from './lifecycle-event.entity';

/** Where an event sits in the graph, for the `goalId` and `modelId` filters. */
export interface EventScope {
  goalId?: number | null;
  modelId?: number | null;
  modelVersionId?: number | null;
}

export interface EventInput extends EventScope {
  type: LifecycleEventType;
  /** The GraphQL type name and database id of what the event is about. */
  subject: { type: string; id: number };
  summary: string;
  data?: Record<string, unknown>;
}

/** How the acting person is named in summaries. */
export function actorName(ctx: ServiceContext): string {
  return ctx.viewer?.name ?? 'The hub operator';
}

/**
 * Writes an event, its outbox entry and its Slack deliveries in the caller's transaction, so the event exists exactly
 * when the change it describes was committed. Call it after the subject has been flushed (it needs
 * the subject's id).
 */
export async function recordEvent(em: EntityManager, ctx: ServiceContext, input: EventInput): Promise<LifecycleEvent> {
  const event = em.create(LifecycleEvent, {
    type: input.type,
    actor: ctx.viewer?.id ?? null,
    origin: ctx.origin,
    subjectType: input.subject.type,
    subjectId: input.subject.id,
    goalId: input.goalId ?? null,
    modelId: input.modelId ?? null,
    modelVersionId: input.modelVersionId ?? null,
    // One line, whatever people typed into the text it quotes: chat messages and logs rely on it.
    summary: input.summary.replace(/\s+/g, ' ').trim(),
    data: input.data ?? {},
  });
  em.create(OutboxEntry, { event });
  await projectToSlack(em, event);
  await em.flush();
  return event;
}
