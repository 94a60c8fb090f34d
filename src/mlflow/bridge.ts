import type { Domain } from '../domain/domain';
import { Stage } from '../domain/enums';
import { mlflowRepository, type Decision, type DecisionOutcome } from '../domain/mlflow/mlflow.repository';
import { mlflowService, type MlflowSource, type SyncReport } from '../domain/mlflow/mlflow.service';
import { log } from '../logger';
import { MlflowClient, MlflowError } from './client';

export interface MlflowSettings {
  /** `MLFLOW_TRACKING_URI`. */
  url: string;
  /** `MLFLOW_TRACKING_TOKEN`. */
  token?: string;
  /** `MLFLOW_SYNC_INTERVAL_S`: how often to sync (0: only decisions are written back). */
  syncIntervalS: number;
  /** `MLFLOW_ALIAS_PRODUCTION` and `MLFLOW_ALIAS_STAGING`: the aliases a version reaching each stage gets. */
  aliases: { production: string; staging: string };
  /** How often to look for decisions to write back (default 500 ms). */
  pollMs?: number;
  /** The first retry's wait, doubled each attempt up to 10 minutes (default 1 s). */
  minBackoffMs?: number;
}

/** The tag a version approved in the hub gets in MLflow, with the promotion request's ID. */
export const APPROVAL_TAG = 'hub.approval';
const MAX_BACKOFF_MS = 600_000;
const LEASE_MS = 60_000;

/** One sync of an MLflow server into the hub, as the bridge user (`hub mlflow sync` and the periodic sync). */
export async function syncMlflow(domain: Domain, source: MlflowSource): Promise<SyncReport> {
  const viewer = await mlflowService.bridgeUser(domain.operator());
  return mlflowService.sync(domain.as(viewer), source);
}

/**
 * The MLflow bridge in a running hub: a periodic sync, and the decisions outbox written back one
 * at a time in order: the stage's alias, then the `hub.approval` tag (both idempotent in MLflow,
 * so a retry repeats them safely). A network error, 429 or 5xx backs off and retries; MLflow
 * refusing for good (e.g. RESOURCE_DOES_NOT_EXIST) fails the decision and the next one goes.
 */
export class MlflowBridge {
  private readonly client: MlflowClient;
  private syncTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<unknown> | undefined;
  private sending: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly domain: Domain,
    private readonly settings: MlflowSettings,
  ) {
    this.client = new MlflowClient({ url: settings.url, token: settings.token });
  }

  start(): void {
    if (this.settings.syncIntervalS > 0) {
      this.syncTimer = setInterval(() => void this.sync(), this.settings.syncIntervalS * 1000);
      this.syncTimer.unref();
      void this.sync();
    }
    this.pollTimer = setInterval(() => void this.tick(), this.settings.pollMs ?? 500);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.syncTimer);
    clearInterval(this.pollTimer);
    await Promise.allSettled([this.syncing, this.sending]);
  }

  /** One sync, unless one is under way; failures are logged and the next interval tries again. */
  sync(): Promise<unknown> {
    this.syncing ??= syncMlflow(this.domain, this.client)
      .then((report) => {
        for (const { model, error } of report.errors) log.warn(`mlflow sync: ${model}: ${error}`);
        log.info(
          `mlflow sync: ${report.modelsCreated} new models, ${report.versionsCreated} new versions (${report.models} models, ${report.versions} versions seen)`,
        );
      })
      .catch((err: Error) => log.warn(`mlflow sync failed: ${err.message}`))
      .finally(() => {
        this.syncing = undefined;
      });
    return this.syncing;
  }

  /** Writes back the pending decisions that are due, oldest first, until one has to wait. */
  tick(): Promise<void> {
    this.sending ??= this.drain()
      .catch((err: Error) => log.warn(`mlflow decisions: ${err.message}`))
      .finally(() => {
        this.sending = undefined;
      });
    return this.sending;
  }

  private async drain(): Promise<void> {
    const ctx = this.domain.as(null);
    while (!this.stopped) {
      const decision = await mlflowRepository.claimNext(ctx, LEASE_MS);
      if (!decision) return;
      const outcome = await this.send(decision);
      await mlflowRepository.settle(ctx, decision, outcome);
      if (outcome.status === 'retry') return;
    }
  }

  private async send(decision: Decision): Promise<DecisionOutcome> {
    const { registeredModel: name, version } = decision;
    const alias = decision.stage === Stage.PRODUCTION ? this.settings.aliases.production : this.settings.aliases.staging;
    try {
      await this.client.setAlias(name, alias, version);
      await this.client.setVersionTag(name, version, APPROVAL_TAG, decision.promotionRequestId);
      log.info(`mlflow: ${name} version ${version} is now "${alias}"`);
      return { status: 'sent' };
    } catch (err) {
      const error = (err as Error).message;
      if (err instanceof MlflowError && !err.transient) {
        log.warn(`mlflow refused the decision on ${name} version ${version}: ${error}`);
        return { status: 'failed', error };
      }
      const waitMs = Math.min(MAX_BACKOFF_MS, (this.settings.minBackoffMs ?? 1_000) * 2 ** Math.min(decision.attempts - 1, 30));
      log.warn(`mlflow unavailable (${error}); retry ${decision.attempts} in ${waitMs} ms`);
      return { status: 'retry', notBefore: new Date(Date.now() + waitMs), error };
    }
  }
}
