import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Statistics answers kept while the read models stand still: the same question from the same
 * token at the same log position has the same answer. Any new event moves the position and empties
 * the cache. A question with `minPosition` is always answered afresh.
 */
export class AnswerCache {
  #position = Number.NaN;
  readonly #answers = new Map<string, string>();
  readonly #capacity: number;

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  get(key: string, position: number): string | undefined {
    if (position !== this.#position) return undefined;
    return this.#answers.get(key);
  }

  set(key: string, position: number, answer: string): void {
    if (position !== this.#position) {
      this.#answers.clear();
      this.#position = position;
    }
    if (this.#answers.size >= this.#capacity) this.#answers.clear();
    this.#answers.set(key, answer);
  }
}

/**
 * Answers are shared by the tokens of one scope (every role may read statistics): the scope, not
 * the token's name, decides what an answer may contain.
 */
const keyOf = (request: FastifyRequest, today: string) =>
  request.url.includes('minPosition') || request.principal === null
    ? undefined
    : `${request.principal.scope}\u0000${today}\u0000${request.url}`;

/**
 * A preValidation hook that answers from the cache, and the function the handler calls to fill
 * it. The scope was checked when the answer was first computed for a token of the same scope.
 */
export const cachedAnswers = (answers: AnswerCache, position: () => number, today: () => string) => ({
  hook: (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const key = keyOf(request, today());
    const at = position();
    const answer = key === undefined ? undefined : answers.get(key, at);
    if (answer === undefined) {
      done();
      return;
    }
    void reply.header('x-cogov-position', String(at)).type('application/json; charset=utf-8').send(answer);
  },
  remember: <T extends { readonly position: number }>(request: FastifyRequest, answer: T): T => {
    const key = keyOf(request, today());
    if (key !== undefined) answers.set(key, answer.position, JSON.stringify(answer));
    return answer;
  },
});
