import { describe, expect, it } from 'vitest';
import type { BotDeps } from '../../../../../bots/slack/context';
import { runCommand } from '../../../../../bots/slack/listeners/commands/mlops';

// Help and unknown subcommands are answered before the hub looks up who typed them: no database.
const deps = (command = '/mlops') => ({ command }) as BotDeps;
const run = (typed: string, command?: string) => runCommand(deps(command), 'U0NOBODY', 'C0GENERAL', typed);

const USAGES = [
  'help',
  'whoami',
  'status <model>',
  'pending',
  'promote <model>@<n> <staging|production|archived> [justification]',
  'approve <request> [comment]',
  'reject <request> <comment>',
  'drift <model>[@<n>][,<model>[@<n>]…] <low|medium|high|critical> [data|concept|performance|business] <description>',
  'feedback <model>[@<n>] <meets|partial|misses> [comment]',
  'follow <model | goal ID>',
  'unfollow <model | goal ID>',
];

describe('runCommand: help and unknown subcommands', () => {
  it('answers no subcommand with the help: every subcommand with its usage, and what the references mean', async () => {
    const { text } = await run('');
    const lines = text.split('\n');
    expect(lines[0]).toBe('*ModelOps Hub* — `/mlops <subcommand>`');
    expect(lines.slice(1, -1)).toEqual(USAGES.map((u) => `• \`/mlops ${u}\``));
    expect(lines.at(-1)).toMatch(/^`<model>` is a model name, `<model>@<n>` a version; `<request>` is the PR-number/);
  });

  it.each(['help', 'HELP', '  help  ', 'Help me please'])('answers %j with the same help', async (typed) => {
    expect(await run(typed)).toEqual(await run(''));
  });

  it('names the slash command as it is configured', async () => {
    expect((await run('help', '/hub')).text).toContain('• `/hub promote <model>@<n>');
  });

  it('answers an unknown subcommand with what it did not understand, as typed, and the help', async () => {
    const help = (await run('help')).text;
    expect((await run('frobnicate now please')).text).toBe(`I don't know "frobnicate".\n${help}`);
    expect((await run('  PROMOTEX churn@1 staging')).text).toBe(`I don't know "PROMOTEX".\n${help}`);
  });

  it("shows what people typed, not Slack's escapes of it", async () => {
    expect((await run('&lt;script&gt;')).text).toMatch(/^I don't know "<script>"\./);
  });
});
