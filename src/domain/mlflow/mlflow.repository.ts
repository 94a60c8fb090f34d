import type { ServiceContext } from '../context';
import type { Stage } from '../enums';
import { DecisionStatus, MlflowDecision } from './mlflow.entities';

/** A decision to write back to MLflow. */
export interface Decision {
  id: number;
  registeredModel: string;
  version: string;
  stage: Stage;
  promotionRequestId: string;
  /** This attempt's number, from 1. */
  attempts: number;
}

/** How one attempt ended. */
export type DecisionOutcome = { status: 'sent' } | { status: 'retry'; notBefore: Date; error: string } | { status: 'failed'; error: string };

export const mlflowRepository = {
  /**
   * Claims the oldest pending decision if it is due, with a lease (a crash mid-attempt leaves it
   * to the next attempt once the lease is over). Decisions go one at a time in order, so the alias
   * ends on the latest decision. Null when there is none, it is not due, or someone else has it.
   */
  async claimNext(ctx: ServiceContext, leaseMs: number): Promise<Decision | null> {
    const head = await ctx.reader.first(MlflowDecision, { status: DecisionStatus.PENDING }, { props: ['id'], direction: 'asc' });
    const now = new Date();
    if (!head || head.notBefore > now) return null;
    const claimed = await ctx.em.nativeUpdate(
      MlflowDecision,
      { id: head.dbId, status: DecisionStatus.PENDING, notBefore: { $lte: now } },
      { notBefore: new Date(now.getTime() + leaseMs) },
    );
    if (!claimed) return null;
    const { dbId: id, registeredModel, version, stage, promotionRequestId, attempts } = head;
    return { id, registeredModel, version, stage, promotionRequestId, attempts: attempts + 1 };
  },

  async settle(ctx: ServiceContext, decision: Decision, outcome: DecisionOutcome): Promise<void> {
    await ctx.em.nativeUpdate(
      MlflowDecision,
      { id: decision.id },
      {
        attempts: decision.attempts,
        ...(outcome.status === 'sent'
          ? { status: DecisionStatus.SENT, sentAt: new Date(), lastError: null }
          : outcome.status === 'failed'
            ? { status: DecisionStatus.FAILED, lastError: outcome.error.slice(0, 1000) }
            : { notBefore: outcome.notBefore, lastError: outcome.error.slice(0, 1000) }),
      },
    );
  },
};
