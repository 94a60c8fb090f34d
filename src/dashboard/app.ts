/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The state the views share: who is signed in, the messages shown next to actions, and how a
 * view asks to be fetched again or just drawn again. main.ts wires `refresh` and `rerender`.
 */
import { ApiError } from './api';
import { h, type Child } from './dom';
import type { DashViewerQuery } from './generated/operations';

export type Viewer = DashViewerQuery['viewer'];
export type Role = Viewer['roles'][number];

/** A view: what to fetch, and how to draw it. Drawing again with the same data keeps typed text. */
export interface View<D = unknown> {
  /** The route, e.g. "goals" or "model/<id>/3". */
  key: string;
  fetch(): Promise<D>;
  title(data: D): string;
  build(data: D): Child[];
}

interface Note {
  text: string;
  kind: 'ok' | 'error';
}

export const app = {
  viewer: null as Viewer | null,
  /** Fetches the current view again and redraws it (after an action or a live event). */
  refresh: (): Promise<void> => Promise.resolve(),
  /** Draws the current view again from the data it has (UI-only changes). */
  rerender: (focusId?: string): void => void focusId,
  /** Says something to screen readers (the polite status region). */
  announce: (text: string): void => void text,
  /** Shows the viewer's unread notification count on the bell. */
  setUnread: (count: number): void => void count,
};

const notes = new Map<string, Note>();

/** The message shown next to an action (its outcome, or the API's refusal in words). */
export function note(key: string): HTMLElement | null {
  const n = notes.get(key);
  if (!n) return null;
  return h('p', { class: `note note-${n.kind}`, 'data-note': key }, n.text);
}

export function setNote(key: string, text: string, kind: Note['kind']): void {
  notes.set(key, { text, kind });
}

export function clearNote(key: string): void {
  notes.delete(key);
}

/** Forgets every note (a new view starts clean). */
export function clearNotes(): void {
  notes.clear();
}

const busy = new Set<string>();

export function isBusy(key: string): boolean {
  return busy.has(key);
}

/**
 * Runs an action: its outcome (or the API's refusal, e.g. four eyes) goes in the note under `key`
 * and to the status region, and the view is fetched again. Nothing is decided here: the API is.
 */
export async function act(key: string, run: () => Promise<string>): Promise<boolean> {
  if (busy.has(key)) return false;
  busy.add(key);
  clearNote(key);
  app.rerender();
  let ok = false;
  try {
    const text = await run();
    setNote(key, text, 'ok');
    app.announce(text);
    ok = true;
  } catch (err) {
    const text = err instanceof ApiError ? err.message : `Something went wrong: ${(err as Error).message}`;
    setNote(key, text, 'error');
    app.announce(text);
  } finally {
    busy.delete(key);
  }
  await app.refresh();
  return ok;
}

/**
 * Empties a form after its action succeeded. By id, not by reference: the view may have been
 * redrawn (by a live event, or to show the busy state) while the request was on its way.
 */
export function resetForm(id: string): void {
  const form = document.getElementById(id);
  if (form instanceof HTMLFormElement) form.reset();
}

/** True when the viewer holds one of the roles. Only decides what to offer; the API decides what happens. */
export function holds(...roles: Role[]): boolean {
  return Boolean(app.viewer?.roles.some((r) => roles.includes(r)));
}
