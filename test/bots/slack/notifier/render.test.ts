import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escape, eventMessage } from '../../../../bots/slack/notifier/render';
import { unescapeSlack } from '../../../../bots/slack/refs';
import type { RecordedEvent } from '../../../../src/domain/event/event.types';

describe('escape: text people typed, made inert for mrkdwn', () => {
  it('escapes &, < and > as Slack asks', () => {
    expect(escape('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
  });

  it('turns mentions and links into plain text', () => {
    expect(escape('<!channel> see <https://evil.example|the report> <@U123>')).toBe(
      '&lt;!channel&gt; see &lt;https://evil.example|the report&gt; &lt;@U123&gt;',
    );
  });

  it('escapes an ampersand that already looks escaped: people may type "&lt;"', () => {
    expect(escape('&lt;')).toBe('&amp;lt;');
  });

  it('leaves mrkdwn formatting and other text alone', () => {
    expect(escape('*bold* _it_ `code` ~x~ :rocket: "q" \'s')).toBe('*bold* _it_ `code` ~x~ :rocket: "q" \'s');
  });

  it('is undone by unescapeSlack, for any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('&', '<', '>', ';', 'a', 'l', 't', 'g', 'm', 'p', ' ') }),
        (text) => unescapeSlack(escape(text)) === text,
      ),
    );
    fc.assert(fc.property(fc.string(), (text) => unescapeSlack(escape(text)) === text));
  });
});

describe('eventMessage: one event as a person reads it in Slack', () => {
  const event = (type: RecordedEvent['type'], summary: string) => ({ type, summary }) as RecordedEvent;

  it('is the summary, escaped, after the icon of its type', () => {
    expect(eventMessage(event('DRIFT_FLAGGED', 'Rita flagged HIGH drift on churn v3: <b>'))).toEqual({
      text: ':warning: Rita flagged HIGH drift on churn v3: &lt;b&gt;',
    });
    expect(eventMessage(event('PROMOTION_APPROVED', 'churn v3 → PRODUCTION approved'))).toEqual({
      text: ':white_check_mark: churn v3 → PRODUCTION approved',
    });
  });

  it('has a plain icon for a type without one of its own', () => {
    expect(eventMessage(event('USER_CREATED', 'Ada created Rita')).text).toBe(':information_source: Ada created Rita');
  });
});
