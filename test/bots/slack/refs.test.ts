import { describe, expect, it } from 'vitest';
import { parseRequestRef, parseVersionRef, requestRef, unescapeSlack } from '../../../bots/slack/refs';
import { DomainError } from '../../../src/domain/errors';
import { toGlobalId } from '../../../src/domain/ids';
import { thrown } from '../../helpers/errors';

describe('unescapeSlack: what people typed, from what Slack sends', () => {
  it('turns &lt; &gt; and &amp; back into < > and &', () => {
    expect(unescapeSlack('approve PR-3 &lt;fine&gt; &amp; ship')).toBe('approve PR-3 <fine> & ship');
  });

  it('unescapes once: an &lt; that was typed stays &lt;', () => {
    expect(unescapeSlack('&amp;lt;b&amp;gt;')).toBe('&lt;b&gt;');
    expect(unescapeSlack('&amp;amp;')).toBe('&amp;');
  });

  it('leaves other text as it is', () => {
    expect(unescapeSlack('feedback churn@2 meets "great" 100%')).toBe('feedback churn@2 meets "great" 100%');
  });
});

describe('requestRef and parseRequestRef: promotion requests as people name them', () => {
  it('shows a request as PR-<number>', () => {
    expect(requestRef(12)).toBe('PR-12');
  });

  it.each(['PR-12', 'pr-12', 'PR12', 'pr12', '#12', '12', '  PR-12  '])('reads %j as request 12', (typed) => {
    expect(parseRequestRef(typed)).toBe(toGlobalId('PromotionRequest', 12));
  });

  it("reads what requestRef shows, and takes the API's ID of a request as it is", () => {
    expect(parseRequestRef(requestRef(7))).toBe(toGlobalId('PromotionRequest', 7));
    const id = toGlobalId('PromotionRequest', 40);
    expect(parseRequestRef(id)).toBe(id);
  });

  it.each(['', 'PR-', 'PR-x', 'PR 12', 'PR--12', '12345678901', 'churn-model', toGlobalId('Goal', 12)])(
    'refuses %j with BAD_USER_INPUT on request, saying what to type',
    (typed) => {
      const error = thrown(() => parseRequestRef(typed));
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'request', message: expect.stringContaining('use the PR-number the bot shows') });
    },
  );
});

describe('parseVersionRef: model@version', () => {
  it('reads a model and a version number, or a model alone', () => {
    expect(parseVersionRef('churn-model@3')).toEqual({ model: 'churn-model', version: 3 });
    expect(parseVersionRef('churn-model')).toEqual({ model: 'churn-model', version: null });
    expect(parseVersionRef('  fraud@12 ')).toEqual({ model: 'fraud', version: 12 });
  });

  it.each(['', '@3', 'churn@', 'churn@v3', 'churn@-1', 'churn@1@2', 'two words', 'churn@1234567890'])(
    'refuses %j with BAD_USER_INPUT on model',
    (typed) => {
      const error = thrown(() => parseVersionRef(typed));
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'model', message: expect.stringContaining('is not a model or model@version') });
    },
  );
});
