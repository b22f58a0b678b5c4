import { tokenOf } from '@cogov/testkit/http';
import type { TestServer } from './server.ts';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Record<string, unknown>;
  readonly text: string;
}

/** Real requests over the loopback socket to a listening test server, as an admin unless told. */
export const caller =
  (server: () => TestServer) =>
  async (
    method: string,
    path: string,
    options: { token?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? tokenOf('admin', '*') : options.token;
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    if (options.body !== undefined || options.raw !== undefined)
      headers['content-type'] ??= 'application/json';
    const response = await fetch(`${server().url ?? ''}${path}`, {
      method,
      headers,
      ...(options.raw !== undefined
        ? { body: options.raw }
        : options.body === undefined
          ? {}
          : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON (metrics, docs)
    }
    return { status: response.status, headers: response.headers, json, text };
  };
