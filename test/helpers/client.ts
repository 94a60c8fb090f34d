import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export interface GraphQLErrorShape {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export interface Result<T> {
  status: number;
  data: T | null | undefined;
  errors: GraphQLErrorShape[] | undefined;
}

const printed = new WeakMap<object, string>();

/** Sends a typed operation over real HTTP, as any client would. */
export async function request<T, V>(url: string, document: TypedDocumentNode<T, V>, variables: V, token?: string): Promise<Result<T>> {
  let query = printed.get(document);
  if (!query) {
    query = print(document);
    printed.set(document, query);
  }
  return post<T>(url, { query, variables }, token);
}

/** An HTTP answer that must be JSON, with its body also kept as text for checks on what leaks. */
export interface Answer {
  status: number;
  headers: Headers;
  contentType: string;
  text: string;
  json: { data?: Record<string, unknown> | null; errors?: GraphQLErrorShape[]; extensions?: Record<string, unknown> };
}

/** One HTTP request; fails the test when the answer is not JSON. */
export async function fetchJson(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: Answer['json'];
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`not JSON (HTTP ${res.status}, ${res.headers.get('content-type')}): ${text.slice(0, 300)}`);
  }
  return { status: res.status, headers: res.headers, contentType: res.headers.get('content-type') ?? '', text, json };
}

/** Posts a raw GraphQL body. */
export async function post<T = Record<string, unknown>>(
  url: string,
  body: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<Result<T>> {
  const { status, json } = await fetchJson(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status, data: json.data as T | null | undefined, errors: json.errors };
}

/** The data of a result that must have succeeded. */
export function ok<T>(result: Result<T>): T {
  if (result.errors?.length || !result.data) {
    throw new Error(`expected success, got HTTP ${result.status}: ${JSON.stringify(result.errors)}`);
  }
  return result.data;
}

/** The error code of a result that must have failed. */
export function errorCode(result: Result<unknown>): string | undefined {
  if (!result.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(result.data)}`);
  return result.errors[0].extensions?.code;
}

/** Narrows a `node(id:)` result to the member of the union that has `field`, or fails the test. */
export function having<T, K extends string>(node: T | null | undefined, field: K): Extract<T, Record<K, unknown>> {
  if (!node || typeof node !== 'object' || !(field in node)) throw new Error(`expected a node with ${field}, got ${JSON.stringify(node)}`);
  return node as Extract<T, Record<K, unknown>>;
}
