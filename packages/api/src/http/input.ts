import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { problem } from '../problems/registry.ts';

/** What a client may send as `X-Request-Id`: it is written into events as their correlation id. */
export const REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/** The request id: the client's `X-Request-Id` when it is one we accept, else a fresh UUID. */
export const requestIdOf = (request: IncomingMessage): string => {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (or key) holding an unpaired UTF-16 surrogate, if any. */
const illFormedAt = (value: unknown, path: string): string | null => {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedAt(value[i], `${path}.${i}`);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) return `${path}.${key}`;
      const found = illFormedAt(inner, `${path}.${key}`);
      if (found !== null) return found;
    }
  }
  return null;
};

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bodies are JSON in UTF-8 and nothing else: another media type is a 415, another charset a
 * 415, bytes that are not UTF-8 a 400, and text with an unpaired surrogate (which no store can
 * keep as written) a 400 naming the field. Nothing of such a request reaches a handler.
 */
export const jsonBodiesOnly = (app: FastifyInstance): void => {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
      done(
        problem('unsupported-media-type', `charset=${charset} is not accepted; send UTF-8.`, {
          errors: [{ field: 'header.content-type', message: 'charset must be utf-8' }],
        }),
      );
      return;
    }
    let text: string;
    try {
      text = UTF8.decode(body as Buffer);
    } catch {
      done(
        problem('invalid-request', 'The body holds bytes that are not UTF-8.', {
          errors: [{ field: 'body', message: 'not valid UTF-8' }],
        }),
      );
      return;
    }
    Promise.resolve(
      parse(request, text, (error, value) => {
        if (error !== null) {
          done(error);
          return;
        }
        const field = illFormedAt(value, 'body');
        if (field === null) done(null, value);
        else
          done(
            problem(
              'invalid-request',
              `${field} holds an unpaired UTF-16 surrogate, which is not a character.`,
              { errors: [{ field, message: 'unpaired surrogate (not valid Unicode)' }] },
            ),
          );
      }),
    ).catch(done);
  });
  app.addHook('onRequest', (request, _reply, done) => {
    const given = request.headers['x-request-id'];
    if (given !== undefined && (typeof given !== 'string' || !REQUEST_ID.test(given))) {
      done(
        problem('invalid-request', 'X-Request-Id is 1-128 printable ASCII characters without spaces.', {
          errors: [{ field: 'header.x-request-id', message: '1-128 printable ASCII characters' }],
        }),
      );
      return;
    }
    done();
  });
};
