import type { App } from '@slack/bolt';
import type { BotDeps } from '../../context';
import * as mlops from './mlops';

export function register(app: App, deps: BotDeps): void {
  mlops.register(app, deps);
}
