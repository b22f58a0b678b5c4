import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { AnswerCache, cachedAnswers } from './answers.ts';

/** A real fastify app whose one route counts how often it computes, with the answer cache in front. */
const appWith = () => {
  const app = Fastify();
  const cache = cachedAnswers(
    new AnswerCache(),
    () => 7,
    () => '2022-06-01',
  );
  let computed = 0;
  app.decorateRequest('principal', null);
  app.addHook('onRequest', (request, _reply, done) => {
    const [name, scope] = String(request.headers['x-principal']).split('@');
    request.principal = { name: name ?? '', role: 'reader', scope: scope ?? '' };
    done();
  });
  app.get('/figure', { preValidation: cache.hook }, (request) =>
    cache.remember(request, { scope: request.principal?.scope, computed: ++computed, position: 7 }),
  );
  return app;
};

describe('the statistics answer cache', () => {
  it('never hands one scope’s answer to another, even to a token of the same name', async () => {
    const app = appWith();
    const ask = async (principal: string) =>
      (await app.inject({ url: '/figure', headers: { 'x-principal': principal } })).json<{ scope: string }>();
    expect((await ask('clerk@lincheng')).scope).toBe('lincheng');
    expect((await ask('clerk@othertown')).scope).toBe('othertown');
  });

  it('shares an answer between tokens of one scope', async () => {
    const app = appWith();
    const ask = async (principal: string) =>
      (await app.inject({ url: '/figure', headers: { 'x-principal': principal } })).json<{
        computed: number;
      }>();
    expect((await ask('reader@lincheng')).computed).toBe(1);
    expect((await ask('clerk@lincheng')).computed).toBe(1);
  });
});
