/** The public API, read with the user's token; nothing else is called. */

export class Unauthorized extends Error {}

/** A problem+json answer, kept whole so that the page can show its title and fields. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: { readonly title?: string; readonly detail?: string; readonly code?: string },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export interface Me {
  readonly name: string;
  readonly role: string;
  readonly scope: string;
  readonly permissions: readonly string[];
}

export interface Region {
  readonly id: string;
  readonly name: string;
  readonly details: { readonly level?: string; readonly parentId?: string | null };
  readonly regionPath: readonly string[];
}

export interface SeriesPoint {
  readonly period: string;
  readonly value: number;
}

export class Api {
  readonly #token: string;

  constructor(token: string) {
    this.#token = token;
  }

  async get<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const search = params.size === 0 ? '' : `?${params.toString()}`;
    const response = await fetch(`${path}${search}`, {
      headers: { authorization: `Bearer ${this.#token}`, accept: 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
    });
    if (response.status === 401) throw new Unauthorized();
    const body: unknown = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiProblem(response.status, body as ApiProblem['problem']);
    return body as T;
  }

  me(): Promise<Me> {
    return this.get<Me>('/v1/me');
  }

  /** The regions under `parent`, or (no parent) the token's own region, or the roots for an unscoped token. */
  async regions(parent?: string): Promise<Region[]> {
    const out: Region[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.get<{ items: Region[]; nextCursor: string | null }>('/v1/regions', {
        parent,
        cursor,
        limit: 200,
      });
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return out;
  }

  async value(
    metric: string,
    scope: string,
    query: { facet?: string; from?: string; to?: string; asOf?: string; knownAt?: string | undefined },
  ): Promise<number> {
    const answer = await this.get<{ value: number }>(`/v1/statistics/${encodeURIComponent(metric)}`, {
      scope,
      ...query,
    });
    return answer.value;
  }

  async series(
    metric: string,
    scope: string,
    query: { facet?: string; from: string; to: string; granularity: string; knownAt?: string | undefined },
  ): Promise<SeriesPoint[]> {
    const answer = await this.get<{ points: SeriesPoint[] }>(
      `/v1/statistics/${encodeURIComponent(metric)}/series`,
      { scope, ...query },
    );
    return answer.points;
  }
}
