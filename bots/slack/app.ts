import { App, ExpressReceiver, LogLevel, webApi, type Authorize, type Logger } from '@slack/bolt';
import type { Application } from 'express';
import { DEFAULTS } from '../../src/config';
import type { Domain } from '../../src/domain/domain';
import { log } from '../../src/logger';
import type { BotDeps } from './context';
import * as actions from './listeners/actions';
import * as commands from './listeners/commands';
import * as events from './listeners/events';
import * as views from './listeners/views';
import { SlackNotifier, type NotifierOptions } from './notifier/worker';

/** The bot's settings; the hub reads them from SLACK_* variables (README "Connect Slack"). */
export interface SlackSettings {
  signingSecret: string;
  botToken: string;
  /** Web API base URL (default Slack's own); tests point it at a local fake. */
  apiUrl?: string;
  /** Set for Socket Mode (no public URL needed). */
  appToken?: string;
  /** Default `SLACK_COMMAND`'s, `/mlops`. */
  command?: string;
  notifier?: NotifierOptions;
}

export interface SlackBot {
  app: App;
  notifier: SlackNotifier;
  stop(): Promise<void>;
}

/** Bolt's logs, through the hub's logger. */
const boltLogger: Logger = {
  debug: (...msg) => log.debug(`slack: ${msg.join(' ')}`),
  info: (...msg) => log.info(`slack: ${msg.join(' ')}`),
  warn: (...msg) => log.warn(`slack: ${msg.join(' ')}`),
  error: (...msg) => log.error(`slack: ${msg.join(' ')}`),
  setLevel: () => undefined,
  getLevel: () => LogLevel.INFO,
  setName: () => undefined,
};

/**
 * Who the bot is, asked of Slack (auth.test) once it answers. Bolt's default asks once at start-up
 * and keeps a failure for ever, which took the whole hub down when Slack's API was out; here a
 * failed lookup is simply tried again on the next request, and commands work meanwhile.
 */
function botIdentity(client: webApi.WebClient, botToken: string): Authorize<boolean> {
  let identity: { botId?: string; botUserId?: string } | undefined;
  return async () => {
    if (!identity) {
      try {
        const who = await client.auth.test();
        identity = { botId: who.bot_id, botUserId: who.user_id };
      } catch (err) {
        log.warn(`slack auth.test failed (${(err as Error).message}); will ask again`);
      }
    }
    return { botToken, ...identity };
  };
}

/**
 * The Slack bot: listeners for the slash command, the buttons, the reject modal and thread replies,
 * and the notifier that sends the Slack outbox. Over HTTP it serves POST /slack/events on the hub's
 * own Express app (Bolt checks every signature there); with an app token it uses Socket Mode.
 */
export async function createSlackBot(settings: SlackSettings, domain: Domain, express: Application): Promise<SlackBot> {
  const clientOptions = {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/` } : {}),
    // The notifier's outbox does the retrying, honouring Retry-After per channel.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  };
  const client = new webApi.WebClient(settings.botToken, clientOptions);
  const authorize = botIdentity(client, settings.botToken);
  const app = settings.appToken
    ? new App({ authorize, appToken: settings.appToken, socketMode: true, signingSecret: settings.signingSecret, clientOptions, logger: boltLogger })
    : new App({
        authorize,
        receiver: new ExpressReceiver({ signingSecret: settings.signingSecret, endpoints: '/slack/events', app: express, logger: boltLogger }),
        clientOptions,
        logger: boltLogger,
      });
  const deps: BotDeps = { domain, command: settings.command ?? DEFAULTS.slackCommand };
  commands.register(app, deps);
  actions.register(app, deps);
  views.register(app, deps);
  events.register(app, deps);
  app.error(async (err) => log.error({ err }, 'slack listener failed'));
  if (settings.appToken) await app.start();
  const notifier = new SlackNotifier(deps, client, settings.notifier);
  notifier.start();
  return {
    app,
    notifier,
    async stop() {
      await notifier.stop();
      if (settings.appToken) await app.stop();
    },
  };
}
