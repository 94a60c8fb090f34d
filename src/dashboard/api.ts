/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The dashboard's only way to the hub: the public GraphQL endpoint, with the person's own token,
 * like any other client. The documents are the typed strings codegen makes from operations/*.graphql.
 */
import type { TypedDocumentString } from './generated/operations';

const TOKEN_KEY = 'modelops-hub.token';

/** The token of this browser tab's session (sessionStorage: gone when the tab closes). */
export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage can be disabled; the session then lasts as long as the page.
  }
}

/** A refusal or failure, in words a person can read; `code` is the API's `extensions.code`. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let onUnauthenticated: (error: ApiError) => void = () => undefined;

/** What happens when the hub no longer accepts the token (main.ts: back to sign-in). */
export function whenUnauthenticated(handler: (error: ApiError) => void): void {
  onUnauthenticated = handler;
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Sends one operation with `token` (default: the session's); resolves with its data or throws an ApiError. */
export async function gql<R, V>(document: TypedDocumentString<R, V>, variables: V, token = storedToken()): Promise<R> {
  if (!token) {
    const error = new ApiError('Sign in with your token first.', 'UNAUTHENTICATED');
    onUnauthenticated(error);
    throw error;
  }
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch {
    throw new ApiError('The hub cannot be reached. Check the connection and try again.', 'NETWORK');
  }
  let body: GraphQLResponse<R>;
  try {
    body = (await response.json()) as GraphQLResponse<R>;
  } catch {
    throw new ApiError(`The hub answered HTTP ${response.status} with something other than GraphQL.`, 'BAD_RESPONSE');
  }
  const first = body.errors?.[0];
  if (first) {
    const error = new ApiError(first.message, first.extensions?.code ?? 'ERROR');
    if (error.code === 'UNAUTHENTICATED') onUnauthenticated(error);
    throw error;
  }
  if (!body.data) throw new ApiError(`The hub answered HTTP ${response.status} without data.`, 'BAD_RESPONSE');
  return body.data;
}

/**
 * Downloads a version's audit pack (`audit.html` or `audit.json`) with the session's token: a plain
 * link could not send it. RISK_MANAGER and ADMIN only; the hub refuses anyone else.
 */
export async function downloadAuditPack(versionId: string, format: 'html' | 'json'): Promise<void> {
  const token = storedToken();
  let response: Response;
  try {
    response = await fetch(`/audit/model-versions/${encodeURIComponent(versionId)}?format=${format}`, {
      headers: { authorization: `Bearer ${token ?? ''}` },
    });
  } catch {
    throw new ApiError('The hub cannot be reached. Check the connection and try again.', 'NETWORK');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new ApiError(body.error ?? `The hub answered HTTP ${response.status}.`, response.status === 403 ? 'FORBIDDEN' : 'ERROR');
  }
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = `audit.${format}`;
  link.click();
  URL.revokeObjectURL(link.href);
}
