import type { App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
import { DomainError } from '../../../../src/domain/errors';
import type { Viewer } from '../../../../src/domain/context';
import { DriftKind, Severity } from '../../../../src/domain/drift/drift-flag.entity';
import { driftService } from '../../../../src/domain/drift/drift.service';
import { Stage } from '../../../../src/domain/enums';
import { FeedbackVerdict } from '../../../../src/domain/feedback/feedback.entity';
import { feedbackService } from '../../../../src/domain/feedback/feedback.service';
import { toGlobalId } from '../../../../src/domain/ids';
import { modelStatus, type ModelStatus } from '../../../../src/domain/model/model-status';
import { modelRepository } from '../../../../src/domain/model/model.repository';
import { PromotionStatus } from '../../../../src/domain/promotion/promotion-request.entity';
import { promotionRepository, reviewerRole } from '../../../../src/domain/promotion/promotion.repository';
import { promotionService } from '../../../../src/domain/promotion/promotion.service';
import { ReviewDecision } from '../../../../src/domain/promotion/review.entity';
import { slackService } from '../../../../src/domain/slack/slack.service';
import { log } from '../../../../src/logger';
import { actingAs, notLinkedText, viewerFor, type BotDeps } from '../../context';
import { parseRequestRef, parseVersionRef, requestRef, unescapeSlack } from '../../refs';
import { BLOCK_LIMITS, escape, fit } from '../../notifier/render';

/** What a subcommand answers, ephemerally, to the person who typed it. */
interface Reply {
  text: string;
  blocks?: KnownBlock[];
}

interface Invocation {
  deps: BotDeps;
  viewer: Viewer;
  args: string[];
  /** The words after the fixed arguments, as typed. */
  rest: (from: number) => string;
  channelId: string;
  /** `status`'s model, looked up while the member was (see `runCommand`). */
  named?: ReturnType<typeof modelRepository.byName>;
}

/** Wrong usage of one subcommand: answered with its usage line. */
class Usage extends Error {}

const USAGE: Record<string, string> = {
  help: 'help',
  whoami: 'whoami',
  status: 'status <model>',
  pending: 'pending',
  promote: 'promote <model>@<n> <staging|production|archived> [justification]',
  approve: 'approve <request> [comment]',
  reject: 'reject <request> <comment>',
  drift: 'drift <model>[@<n>][,<model>[@<n>]…] <low|medium|high|critical> [data|concept|performance|business] <description>',
  feedback: 'feedback <model>[@<n>] <meets|partial|misses> [comment]',
  follow: 'follow <model | goal ID>',
  unfollow: 'unfollow <model | goal ID>',
};

const STAGES: Record<string, Stage> = { staging: Stage.STAGING, production: Stage.PRODUCTION, archived: Stage.ARCHIVED };
const SEVERITIES: Record<string, Severity> = { low: Severity.LOW, medium: Severity.MEDIUM, high: Severity.HIGH, critical: Severity.CRITICAL };
const KINDS: Record<string, DriftKind> = {
  data: DriftKind.DATA,
  concept: DriftKind.CONCEPT,
  performance: DriftKind.PERFORMANCE,
  business: DriftKind.BUSINESS,
};
/** At most this many models in one `/mlops drift`. */
const MAX_DRIFT_MODELS = 20;
const VERDICTS: Record<string, FeedbackVerdict> = {
  meets: FeedbackVerdict.MEETS_GOAL,
  partial: FeedbackVerdict.PARTIALLY_MEETS,
  misses: FeedbackVerdict.MISSES_GOAL,
};

function helpText(command: string): string {
  return [
    `*ModelOps Hub* — \`${command} <subcommand>\``,
    ...Object.values(USAGE).map((u) => `• \`${command} ${u}\``),
    '`<model>` is a model name, `<model>@<n>` a version; `<request>` is the PR-number I show or the request ID.',
  ].join('\n');
}

/** A version by `model@n`; without `@n`, the production version or the latest one. */
function findVersion(inv: Invocation, ref: string, fallback: 'production' | 'latest') {
  const { model, version } = parseVersionRef(ref);
  return modelRepository.findVersion(actingAs(inv.deps, inv.viewer), model, version, fallback);
}

function need(cond: boolean): void {
  if (!cond) throw new Usage();
}

const handlers: Record<string, (inv: Invocation) => Promise<Reply>> = {
  async whoami({ viewer }) {
    return { text: `You are *${viewer.name}* (${viewer.email}), ${viewer.roles.join(', ')}; hub user ID \`${toGlobalId('User', viewer.id)}\`.` };
  },

  async status(inv) {
    need(inv.args.length === 1);
    return statusReply(inv, inv.args[0]);
  },

  async pending(inv) {
    const ctx = actingAs(inv.deps, inv.viewer);
    const awaiting = await promotionRepository.detailsOf(ctx.reader, await promotionService.awaitingMyReview(ctx));
    const lines = awaiting.map(({ request, modelName, version, missingRoles }) => {
      const role = reviewerRole(inv.viewer, missingRoles);
      return `• *${requestRef(request.dbId)}* ${escape(modelName)} v${version} ${request.fromStage} → ${request.toStage}: awaits you as ${role} (missing ${missingRoles.join(', ')})`;
    });
    return { text: lines.length ? `Requests awaiting a role you hold:\n${lines.join('\n')}` : 'No promotion request awaits a role you hold.' };
  },

  async promote(inv) {
    need(inv.args.length >= 2 && inv.args[0].includes('@') && inv.args[1].toLowerCase() in STAGES);
    const { model, version } = await findVersion(inv, inv.args[0], 'latest');
    const request = await promotionService.request(actingAs(inv.deps, inv.viewer), {
      modelVersionId: toGlobalId('ModelVersion', version.dbId),
      toStage: STAGES[inv.args[1].toLowerCase()],
      justification: inv.rest(2) || null,
    });
    const outcome =
      request.status === PromotionStatus.APPROVED ? 'applied at once (no approval needed)' : `awaiting ${request.requiredRoles.join(', ')}`;
    return { text: `*${requestRef(request.id)}*: ${escape(model.name)} v${version.version} ${request.fromStage} → ${request.toStage}, ${outcome}.` };
  },

  async approve(inv) {
    need(inv.args.length >= 1);
    return review(inv, ReviewDecision.APPROVE, inv.rest(1) || null);
  },

  async reject(inv) {
    need(inv.args.length >= 2);
    return review(inv, ReviewDecision.REJECT, inv.rest(1));
  },

  async drift(inv) {
    need(inv.args.length >= 3 && inv.args[1].toLowerCase() in SEVERITIES);
    const hasKind = inv.args[2].toLowerCase() in KINDS;
    const description = inv.rest(hasKind ? 3 : 2);
    need(description.length > 0);
    const refs = [...new Set(inv.args[0].split(',').filter(Boolean))];
    need(refs.length > 0 && refs.length <= MAX_DRIFT_MODELS);
    const found = [];
    for (const ref of refs) found.push(await findVersion(inv, ref, 'production'));
    const severity = SEVERITIES[inv.args[1].toLowerCase()];
    const kind = hasKind ? KINDS[inv.args[2].toLowerCase()] : DriftKind.PERFORMANCE;
    const ctx = actingAs(inv.deps, inv.viewer);
    const modelVersionIds = found.map(({ version }) => toGlobalId('ModelVersion', version.dbId));
    // Several models: one flag each, all or none, an identical open flag of yours kept rather than repeated.
    if (found.length > 1) await driftService.flagMany(ctx, { modelVersionIds, severity, kind, description });
    else await driftService.flag(ctx, { modelVersionId: modelVersionIds[0], severity, kind, description });
    return {
      text: `Flagged ${severity} ${kind.toLowerCase()} drift on ${found.map(({ model, version }) => `${escape(model.name)} v${version.version}`).join(', ')}.`,
    };
  },

  async feedback(inv) {
    need(inv.args.length >= 2 && inv.args[1].toLowerCase() in VERDICTS);
    const { model, version } = await findVersion(inv, inv.args[0], 'production');
    const feedback = await feedbackService.submit(actingAs(inv.deps, inv.viewer), {
      modelVersionId: toGlobalId('ModelVersion', version.dbId),
      verdict: VERDICTS[inv.args[1].toLowerCase()],
      comment: inv.rest(2) || null,
    });
    return { text: `Thanks: recorded that ${escape(model.name)} v${version.version} ${feedback.verdict.replace(/_/g, ' ').toLowerCase()}.` };
  },

  async follow(inv) {
    need(inv.args.length === 1);
    const target = await slackService.follow(actingAs(inv.deps, inv.viewer), inv.channelId, inv.args[0]);
    return { text: `This channel now gets the lifecycle events of ${target.label}.` };
  },

  async unfollow(inv) {
    need(inv.args.length === 1);
    const target = await slackService.unfollow(actingAs(inv.deps, inv.viewer), inv.channelId, inv.args[0]);
    return { text: `This channel no longer gets the events of ${target.label}.` };
  },
};

async function review(inv: Invocation, decision: ReviewDecision, comment: string | null): Promise<Reply> {
  const request = await promotionService.review(actingAs(inv.deps, inv.viewer), {
    promotionRequestId: parseRequestRef(inv.args[0]),
    decision,
    comment,
  });
  const verb = decision === ReviewDecision.APPROVE ? 'approved' : 'rejected';
  return { text: `You ${verb} *${requestRef(request.id)}*; it is now ${request.status}.` };
}

const SEVERITY_ICON: Record<Severity, string> = {
  LOW: ':large_blue_circle:',
  MEDIUM: ':large_yellow_circle:',
  HIGH: ':large_orange_circle:',
  CRITICAL: ':red_circle:',
};

async function statusReply(inv: Invocation, name: string): Promise<Reply> {
  const ctx = actingAs(inv.deps, inv.viewer);
  const {
    model,
    versions,
    openFlags: flags,
    pending,
    latestFeedback: feedback,
    deployments,
    notDeployed,
  } = await modelStatus(ctx.reader, name, ctx.deploymentGraceMs, inv.named);
  const production = versions.find((v) => v.stage === Stage.PRODUCTION);
  const byStage = [Stage.PRODUCTION, Stage.STAGING, Stage.NONE, Stage.ARCHIVED]
    .map((stage) => [stage, versions.filter((v) => v.stage === stage).map((v) => `v${v.version}`)] as const)
    .filter(([, list]) => list.length)
    .map(([stage, list]) => `*${stage}*: ${list.join(', ')}`);
  const versionOf = (id: number) => versions.find((v) => v.dbId === id)?.version;
  const pendingText = pending
    ? `*${requestRef(pending.request.dbId)}* v${pending.version} ${pending.request.fromStage} → ${pending.request.toStage}, missing ${pending.missingRoles.join(', ')}`
    : 'none';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: fit(model.name, BLOCK_LIMITS.header) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Production*\n${production ? `v${production.version}` : 'none'}` },
        { type: 'mrkdwn', text: fit(`*Pending promotion*\n${pendingText}`, BLOCK_LIMITS.field) },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: `*Versions by stage*\n${byStage.join('\n') || 'no versions yet'}` } },
    { type: 'section', text: { type: 'mrkdwn', text: `*Where it runs*\n${whereItRuns(versions, deployments, notDeployed)}` } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: fit(
          `*Open drift flags*\n${flags.map((f) => `${SEVERITY_ICON[f.severity]} ${f.severity} ${f.kind.toLowerCase()} on v${versionOf(f.modelVersionId)} (${f.status}): ${escape(f.description)}`).join('\n') || 'none'}`,
          BLOCK_LIMITS.section,
        ),
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: fit(
          `*Latest feedback*\n${feedback ? `${feedback.verdict.replace(/_/g, ' ').toLowerCase()} (v${versionOf(feedback.modelVersionId!)}, ${escape(feedback.authorName)})${feedback.comment ? `: ${escape(feedback.comment)}` : ''}` : 'none yet'}`,
          BLOCK_LIMITS.section,
        ),
      },
    },
  ];
  return {
    text: `${escape(model.name)}: production ${production ? `v${production.version}` : 'none'}, ${flags.length} open drift flag(s), pending ${pending ? requestRef(pending.request.dbId) : 'none'}`,
    blocks,
  };
}

/** Each deployed version's latest status per environment, and the PRODUCTION versions not deployed in time. */
function whereItRuns(versions: ModelStatus['versions'], deployments: ModelStatus['deployments'], notDeployed: ModelStatus['notDeployed']): string {
  const lines = versions.flatMap((v) => {
    const seen = new Set<string>();
    const latest = (deployments.get(v.dbId) ?? []).filter((d) => !seen.has(d.environment) && seen.add(d.environment));
    return latest.length ? [`v${v.version}: ${latest.map((d) => `${escape(d.environment)} ${d.status}`).join(', ')}`] : [];
  });
  const warnings = notDeployed.map((v) => `:warning: v${v.version} is approved for PRODUCTION but not deployed`);
  return [...lines, ...warnings].join('\n') || 'no deployments reported';
}

/** Runs one invocation of the slash command and answers ephemerally; refusals change nothing. */
export async function runCommand(deps: BotDeps, slackUserId: string, channelId: string, typed: string): Promise<Reply> {
  const text = unescapeSlack(typed);
  const words = text.trim().split(/\s+/).filter(Boolean);
  const sub = (words[0] ?? 'help').toLowerCase();
  if (sub === 'help' || !(sub in handlers)) {
    return { text: sub === 'help' ? helpText(deps.command) : `I don't know "${words[0]}".\n${helpText(deps.command)}` };
  }
  const args = words.slice(1);
  // Any linked member may read a model's status: its model is looked up alongside the member, so
  // that the acknowledgement waits for the longer lookup, not for both. An unlinked member is told
  // only that; the lookup's answer, or failure, goes nowhere then.
  const named = sub === 'status' && args.length === 1 ? modelRepository.byName(deps.domain.reader, args[0]) : undefined;
  named?.catch(() => undefined);
  const viewer = await viewerFor(deps, slackUserId);
  if (!viewer) return { text: notLinkedText(slackUserId) };
  // The free text after the fixed arguments keeps the spacing people typed.
  const rest = (from: number) => {
    let remaining = text.trim().slice(words[0].length).trimStart();
    for (let i = 0; i < from && remaining; i++) remaining = remaining.slice(args[i].length).trimStart();
    return remaining.trim();
  };
  try {
    return await handlers[sub]({ deps, viewer, args, rest, channelId, named });
  } catch (err) {
    if (err instanceof Usage) return { text: `Usage: \`${deps.command} ${USAGE[sub]}\`` };
    if (err instanceof DomainError) return { text: `:no_entry: ${err.message}` };
    log.error({ err }, `slack command "${sub}" failed`);
    return { text: ':warning: Something went wrong on the hub; nothing was changed. Try again, or tell your hub admin.' };
  }
}

/** `SLACK_COMMAND` (default `/mlops`). */
export function register(app: App, deps: BotDeps): void {
  app.command(deps.command, async ({ command, ack }: SlackCommandMiddlewareArgs) => {
    // Answer in the acknowledgement itself: no Web API call stands between Slack and its 3 seconds.
    const reply = await runCommand(deps, command.user_id, command.channel_id, command.text ?? '');
    await ack({ response_type: 'ephemeral', ...reply });
  });
}
