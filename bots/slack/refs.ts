import { fromGlobalId, toGlobalId } from '../../src/domain/ids';
import { badInput } from '../../src/domain/errors';

/** Slack sends `&`, `<` and `>` escaped in what people type; this gives back what they typed. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The short reference the bot shows for a promotion request: `PR-12`. */
export function requestRef(id: number): string {
  return `PR-${id}`;
}

/** A request reference as people type it: `PR-12`, `pr12`, `#12`, `12`, or the API's global ID. */
export function parseRequestRef(ref: string): string {
  const short = /^(?:pr-?|#)?(\d{1,10})$/i.exec(ref.trim());
  if (short) return toGlobalId('PromotionRequest', Number(short[1]));
  if (fromGlobalId(ref)?.type === 'PromotionRequest') return ref;
  throw badInput(`"${ref}" is not a promotion request; use the PR-number the bot shows or the request's ID.`, 'request');
}

/** `churn-model@3` → name and number; `churn-model` → name only. */
export function parseVersionRef(ref: string): { model: string; version: number | null } {
  const match = /^([^@\s]+)(?:@(\d{1,9}))?$/.exec(ref.trim());
  if (!match) throw badInput(`"${ref}" is not a model or model@version.`, 'model');
  return { model: match[1], version: match[2] ? Number(match[2]) : null };
}
