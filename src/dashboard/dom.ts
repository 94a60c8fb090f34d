/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The dashboard's render helpers: `h` builds HTML elements, `s` SVG elements, `morph` swaps a
 * region's content while keeping what the person was doing (typed text, focus, open details).
 * No inline styles anywhere: the page's Content-Security-Policy forbids them.
 */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (event: any) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Listener>;

function apply(el: Element, attrs: Attrs | null | undefined): void {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(el: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** An HTML element: `h('button', { type: 'button', onclick: fn }, 'Approve')`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element, attributes only (never `style`). */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag) as SVGElementTagNameMap[K];
  apply(el, attrs);
  append(el, children);
  return el;
}

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

function isField(el: Element | null): el is Field {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;
}

/**
 * Replaces the children of `container`, carrying over from the old content, by element id: the
 * values of inputs, textareas and selects, the open state of <details>, and the focus (with the
 * text selection). A view can thus re-render on every live event without losing a half-typed comment.
 */
export function morph(container: HTMLElement, children: readonly Child[], focusId?: string | null): void {
  const values = new Map<string, { value: string; checked: boolean }>();
  for (const el of container.querySelectorAll<Field>('input[id], textarea[id], select[id]')) {
    values.set(el.id, { value: el.value, checked: el instanceof HTMLInputElement && el.checked });
  }
  const openDetails = new Map<string, boolean>();
  for (const el of container.querySelectorAll<HTMLDetailsElement>('details[id]')) openDetails.set(el.id, el.open);
  const active = document.activeElement;
  const activeId = active && active !== document.body && container.contains(active) ? active.id : '';
  const selection =
    isField(active) && !(active instanceof HTMLSelectElement) && typeof active.selectionStart === 'number'
      ? [active.selectionStart, active.selectionEnd ?? active.selectionStart]
      : null;

  const fragment = document.createDocumentFragment();
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) {
      const wrapper = document.createElement('div');
      append(wrapper, child);
      fragment.append(...wrapper.childNodes);
    } else if (child instanceof Node) fragment.appendChild(child);
    else fragment.appendChild(document.createTextNode(String(child)));
  }
  // Restore before attaching, so nothing flickers.
  for (const el of fragment.querySelectorAll<Field>('input[id], textarea[id], select[id]')) {
    const old = values.get(el.id);
    if (!old) continue;
    if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) el.checked = old.checked;
    else if (el instanceof HTMLSelectElement) {
      if ([...el.options].some((o) => o.value === old.value)) el.value = old.value;
    } else el.value = old.value;
  }
  for (const el of fragment.querySelectorAll<HTMLDetailsElement>('details[id]')) {
    const open = openDetails.get(el.id);
    if (open !== undefined) el.open = open;
  }
  container.replaceChildren(fragment);

  const target = focusId ? document.getElementById(focusId) : activeId ? document.getElementById(activeId) : null;
  if (target && container.contains(target)) {
    target.focus({ preventScroll: !focusId });
    if (selection && !focusId && (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)) {
      try {
        target.setSelectionRange(selection[0], selection[1]);
      } catch {
        // Inputs such as type=number have no selection.
      }
    }
  }
}

/** A date like "26 Nov 2026". */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

/** A date and time like "26 Nov, 10:04". */
export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** A number with at most three decimals. */
export function fmtNum(value: number | null | undefined, unit?: string | null): string {
  if (value === null || value === undefined) return '—';
  const text = value.toLocaleString('en-GB', { maximumFractionDigits: 3 });
  if (!unit) return text;
  return unit === '%' ? `${text}%` : `${text} ${unit}`;
}

/** "PARTIALLY_MEETS" → "partially meets". */
export function words(constant: string): string {
  return constant.toLowerCase().replace(/_/g, ' ');
}

/** A <time> element for an ISO date. */
export function time(iso: string | null | undefined, withTime = false): HTMLTimeElement | null {
  if (!iso) return null;
  return h('time', { datetime: iso }, withTime ? fmtDateTime(iso) : fmtDate(iso));
}
