import fc from 'fast-check';
import { commandRoutes, exampleOf, type ExampleWorld, type JsonSchema } from './examples.ts';

/** A request as `app.inject` and `fetch` both take it. */
export interface BadRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload?: string;
  /** What makes it bad, for the failure message. */
  readonly why: string;
}

/** The ids of the huitong test world by brand (bodies) and by parameter name (paths). */
export const TEST_WORLD: ExampleWorld = {
  today: '2022-06-01',
  ids: {
    RegionId: 'dongmen',
    CommitteeId: 'dongmen-ppc',
    MemberId: 'dongmen-m-1',
    UnitId: 'ht-unit-1',
    GridId: 'dongmen-g1',
    IssueId: 'ht-issue-1',
    ProjectId: 'ht-wish-1',
    ActivityId: 'ht-activity-1',
  },
};
export const PATH_IDS: Readonly<Record<string, string>> = {
  regionId: 'dongmen',
  committeeId: 'dongmen-ppc',
  memberId: 'dongmen-m-1',
  unitId: 'ht-unit-1',
  gridId: 'dongmen-g1',
  issueId: 'ht-issue-1',
  projectId: 'ht-wish-1',
  activityId: 'ht-activity-1',
  metric: 'meetings.held',
  projection: 'statistics',
};

/** An OpenAPI 3.1 document, the parts we read. */
export interface OpenApi {
  readonly paths: Readonly<
    Record<
      string,
      Readonly<
        Record<
          string,
          {
            readonly operationId?: string;
            readonly security?: readonly unknown[];
            readonly parameters?: readonly {
              readonly name: string;
              readonly in: 'path' | 'query' | 'header';
              readonly required?: boolean;
              readonly schema?: JsonSchema;
            }[];
          }
        >
      >
    >
  >;
}

/** Good values for the query parameters the GET routes take (one per name). */
export const QUERY_VALUES: Readonly<Record<string, string>> = {
  scope: 'r:dongmen',
  from: '2022-01-01',
  to: '2022-12-31',
  region: 'dongmen',
  parent: 'lincheng',
  year: '2022',
  granularity: 'month',
};

const DATE_FIELD = /(On|Date)$/;
const BAD_DATES = [
  '2022-02-30',
  '2022-13-01',
  '22-01-01',
  '2022-1-1',
  '1900-01-01',
  '2300-01-01',
  '',
  '2022-06-01T00:00:00Z',
];

/** A JSON value of another kind than the schema's (always refused). */
const wrongValue = (schema: JsonSchema): fc.Arbitrary<unknown> => {
  const options = schema.anyOf ?? schema.oneOf;
  if (options !== undefined) {
    // A union (a nullable field, a discriminated union): of a kind none of its members is.
    const kinds = new Set(options.map((o) => (typeof o.type === 'string' ? o.type : 'object')));
    const candidates: fc.Arbitrary<unknown>[] = [];
    if (!kinds.has('boolean')) candidates.push(fc.boolean());
    if (!kinds.has('array')) candidates.push(fc.constant([1, 2]));
    if (!kinds.has('integer') && !kinds.has('number')) candidates.push(fc.integer());
    return candidates.length === 0 ? fc.constant(true) : fc.oneof(...candidates);
  }
  const type = typeof schema.type === 'string' ? schema.type : schema.type?.[0];
  if (schema.enum !== undefined || schema.const !== undefined)
    return fc.oneof(fc.constant('not-one-of-them'), fc.integer(), fc.constant(null));
  switch (type) {
    case 'string':
      return fc.oneof(
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.string(), { maxLength: 2 }),
        fc.constant({}),
      );
    case 'integer':
    case 'number':
      return fc.oneof(
        fc.string({ maxLength: 5 }),
        fc.constant(null),
        fc.constant([]),
        fc.constant(-1e12),
        fc.constant(1.5e300),
      );
    case 'array':
      return fc.oneof(fc.string({ maxLength: 5 }), fc.constant({}), fc.integer());
    case 'object':
      return fc.oneof(fc.string({ maxLength: 5 }), fc.constant([]), fc.integer());
    case undefined:
    default:
      return fc.oneof(fc.string({ maxLength: 5 }), fc.integer());
  }
};

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const json = { 'content-type': 'application/json' };

/**
 * Generated bad requests: commands with exactly one thing wrong (an unknown field, a missing one, a
 * value of the wrong kind, an impossible date, a body that is not an object, malformed JSON,
 * another media type, a body over the limit, a bad If-Match or Idempotency-Key, no token), and
 * reads with one bad parameter, all derived from the same schemas the API validates with.
 */
export const badRequests = (openapi: OpenApi, token: string, bodyLimit: number): fc.Arbitrary<BadRequest> => {
  const commands = commandRoutes().map((route) => ({
    ...route,
    example: exampleOf(route.body, TEST_WORLD) as Record<string, unknown>,
  }));
  const plural = (aggregate: string) => (aggregate === 'activity' ? 'activities' : `${aggregate}s`);
  const commandUrl = (route: (typeof commands)[number], id = PATH_IDS[route.idField] ?? 'x') =>
    `/v1/${plural(route.aggregate)}/${encodeURIComponent(id)}/${route.type.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? '' : '-'}${c.toLowerCase()}`)}`;
  const command = fc.constantFrom(...commands);

  const badCommand: fc.Arbitrary<BadRequest> = fc.oneof(
    // An unknown field.
    fc.tuple(command, fc.string({ minLength: 1, maxLength: 12 })).map(([route, key]) => {
      const name = route.body.properties?.[key] === undefined ? key : `${key}_x`;
      return {
        method: 'POST',
        url: commandUrl(route),
        headers: { ...bearer(token), ...json },
        payload: JSON.stringify({ ...route.example, [name]: 1 }),
        why: `unknown field ${name}`,
      };
    }),
    // A required field missing.
    command
      .filter((route) => (route.body.required ?? []).length > 0)
      .chain((route) => fc.constantFrom(...(route.body.required ?? [])).map((field) => ({ route, field })))
      .map(({ route, field }) => {
        const body = { ...route.example };
        delete body[field];
        return {
          method: 'POST',
          url: commandUrl(route),
          headers: { ...bearer(token), ...json },
          payload: JSON.stringify(body),
          why: `missing ${field}`,
        };
      }),
    // A value of the wrong kind.
    command
      .filter((route) => Object.keys(route.body.properties ?? {}).length > 0)
      .chain((route) =>
        fc.constantFrom(...Object.keys(route.body.properties ?? {})).chain((field) =>
          wrongValue((route.body.properties ?? {})[field] as JsonSchema).map((value) => ({
            route,
            field,
            value,
          })),
        ),
      )
      .map(({ route, field, value }) => ({
        method: 'POST',
        url: commandUrl(route),
        headers: { ...bearer(token), ...json },
        payload: JSON.stringify({ ...route.example, [field]: value }),
        why: `${field} = ${JSON.stringify(value)}`,
      })),
    // An impossible or out-of-range date.
    command
      .filter((route) => Object.keys(route.body.properties ?? {}).some((f) => DATE_FIELD.test(f)))
      .chain((route) =>
        fc
          .tuple(
            fc.constantFrom(...Object.keys(route.body.properties ?? {}).filter((f) => DATE_FIELD.test(f))),
            fc.constantFrom(...BAD_DATES),
          )
          .map(([field, date]) => ({ route, field, date })),
      )
      .map(({ route, field, date }) => ({
        method: 'POST',
        url: commandUrl(route),
        headers: { ...bearer(token), ...json },
        payload: JSON.stringify({ ...route.example, [field]: date }),
        why: `${field} = ${date}`,
      })),
    // A body that is not an object.
    fc
      .tuple(
        command,
        fc.oneof(
          fc.array(fc.integer(), { maxLength: 3 }),
          fc.string(),
          fc.integer(),
          fc.constant(null),
          fc.boolean(),
        ),
      )
      .map(([route, body]) => ({
        method: 'POST',
        url: commandUrl(route),
        headers: { ...bearer(token), ...json },
        payload: JSON.stringify(body),
        why: `body ${JSON.stringify(body)}`,
      })),
    // Malformed JSON.
    fc
      .tuple(command, fc.string({ maxLength: 40 }))
      .map(([route, tail]) => ({ route, text: `{"${tail.replaceAll('"', '')}` }))
      .map(({ route, text }) => ({
        method: 'POST',
        url: commandUrl(route),
        headers: { ...bearer(token), ...json },
        payload: text,
        why: 'malformed JSON',
      })),
    // Another media type.
    fc
      .tuple(
        command,
        fc.constantFrom(
          'text/plain',
          'application/xml',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
        ),
      )
      .map(([route, type]) => ({
        method: 'POST',
        url: commandUrl(route),
        headers: { ...bearer(token), 'content-type': type },
        payload: JSON.stringify(route.example),
        why: `content-type ${type}`,
      })),
    // Over the size limit.
    command.map((route) => ({
      method: 'POST',
      url: commandUrl(route),
      headers: { ...bearer(token), ...json },
      payload: JSON.stringify({ ...route.example, padding: 'x'.repeat(bodyLimit) }),
      why: 'body over the limit',
    })),
    // A bad If-Match or Idempotency-Key.
    fc
      .tuple(
        command,
        fc.oneof(fc.constant('if-match'), fc.constant('idempotency-key')),
        fc.string({ minLength: 1, maxLength: 20 }),
      )
      .map(([route, header, value]) => ({
        route,
        header,
        value:
          header === 'if-match'
            ? `x${value.replace(/\d/g, '')}`
            : `bad key ${value}`.replace(/[^\x20-\x7e]/g, '?'),
      }))
      .map(({ route, header, value }) => ({
        method: 'POST',
        url: commandUrl(route),
        headers: { ...bearer(token), ...json, [header]: value },
        payload: JSON.stringify(route.example),
        why: `${header}: ${value}`,
      })),
    // No token, or one nobody issued.
    fc
      .tuple(
        command,
        fc.oneof(
          fc.constant(undefined),
          fc.string({ maxLength: 30 }).map((t) => `Bearer x${t.replace(/\s/g, '')}`),
          fc.constant('Basic dXNlcjpwYXNz'),
        ),
      )
      .map(([route, auth]) => ({
        method: 'POST',
        url: commandUrl(route),
        headers: { ...json, ...(auth === undefined ? {} : { authorization: auth }) },
        payload: JSON.stringify(route.example),
        why: `authorization ${String(auth)}`,
      })),
    // A path id that is not an identifier.
    fc
      .tuple(
        command,
        fc.oneof(
          fc.constant('has space'),
          fc.constant('x'.repeat(101)),
          fc.constant('-leading'),
          fc.constant('a;b'),
        ),
      )
      .map(([route, id]) => ({
        method: 'POST',
        url: commandUrl(route, id),
        headers: { ...bearer(token), ...json },
        payload: JSON.stringify(route.example),
        why: `id ${id}`,
      })),
  );

  // Reads: every GET route of the OpenAPI document, with one bad parameter.
  const reads = Object.entries(openapi.paths).flatMap(([path, operations]) => {
    const get = operations['get'];
    if (get === undefined || get.security === undefined) return [];
    const params = get.parameters ?? [];
    const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(PATH_IDS[name] ?? 'x'));
    const query = params.filter((p) => p.in === 'query');
    const good = Object.fromEntries(
      query.filter((p) => p.required === true).map((p) => [p.name, QUERY_VALUES[p.name] ?? '1']),
    );
    return [{ path, url, query, good }];
  });
  const read = fc.constantFrom(...reads);
  const badRead: fc.Arbitrary<BadRequest> = fc.oneof(
    fc
      .tuple(
        read,
        fc.string({ minLength: 1, maxLength: 10 }).filter((k) => /^[a-z]+$/i.test(k)),
      )
      .map(([r, key]) => {
        const name = r.query.some((q) => q.name === key) ? `${key}X` : key;
        return {
          method: 'GET',
          url: `${r.url}?${new URLSearchParams({ ...r.good, [name]: '1' }).toString()}`,
          headers: bearer(token),
          why: `unknown parameter ${name}`,
        };
      }),
    read
      .filter((r) => r.query.length > 0)
      .chain((r) =>
        fc
          .constantFrom(...r.query)
          .chain((q) =>
            fc
              .constantFrom(
                ...(q.schema?.pattern === '^\\d{4}-\\d{2}-\\d{2}$' || /^(from|to|asOf|on)$/.test(q.name)
                  ? BAD_DATES.filter((d) => d !== '')
                  : q.name === 'knownAt'
                    ? ['yesterday', '2022-13-01T00:00:00Z', '2022-06-01']
                    : q.name === 'scope'
                      ? ['x:y', 'r:', 'huitong', 'r:a b']
                      : q.name === 'cursor'
                        ? ['%%%', 'e30', 'bm90IGpzb24', 'W3t9XQ']
                        : ['-5', 'abc', '1e999', '99999999999999999999', '1.5', 'nope']),
              )
              .map((value) => ({ r, name: q.name, value })),
          ),
      )
      .map(({ r, name, value }) => ({
        method: 'GET',
        url: `${r.url}?${new URLSearchParams({ ...r.good, [name]: value }).toString()}`,
        headers: bearer(token),
        why: `${name}=${value}`,
      })),
    read.map((r) => ({
      method: 'GET',
      url: `${r.url.replace('/v1/statistics/meetings.held', '/v1/statistics/no.such.metric')}?${new URLSearchParams(r.good).toString()}`,
      headers: {},
      why: 'no token',
    })),
    fc.tuple(read, fc.constantFrom('PUT', 'DELETE', 'PATCH')).map(([r, method]) => ({
      method,
      url: r.url,
      headers: { ...bearer(token), ...json },
      payload: '{}',
      why: `${method} on a read`,
    })),
  );
  return fc.oneof({ arbitrary: badCommand, weight: 3 }, { arbitrary: badRead, weight: 2 });
};
