import { streamIdOf, type Event, type RecordedEvent } from '@cogov/domain';

/** Turns a driver's events (one stream) into recorded events, with recorded times `gaps` ms apart. */
export const record = (
  category: string,
  id: string,
  events: readonly Event[],
  options: {
    readonly start?: number;
    readonly gap?: (i: number) => number;
    readonly firstPosition?: number;
  } = {},
): RecordedEvent[] => {
  let at = options.start ?? Date.parse('2020-01-01T00:00:00Z');
  return events.map((event, i) => {
    at += options.gap?.(i) ?? 1_000;
    return {
      ...event,
      streamId: streamIdOf(category, id),
      revision: i,
      position: (options.firstPosition ?? 0) + i,
      eventId: `${category}-${id}-${i}`,
      recordedAt: new Date(at),
      metadata: { schemaVersion: 1, actor: 'clerk' },
    } as RecordedEvent;
  });
};

/** Interleaves several streams' recorded events by recorded time and renumbers global positions. */
export const interleave = (...streams: readonly (readonly RecordedEvent[])[]): RecordedEvent[] =>
  streams
    .flat()
    .sort(
      (a, b) =>
        a.recordedAt.getTime() - b.recordedAt.getTime() ||
        a.streamId.localeCompare(b.streamId) ||
        a.revision - b.revision,
    )
    .map((event, position) => ({ ...event, position }) as RecordedEvent);

/** Cuts a log into batches at the given fractions. */
export const cut = <T>(log: readonly T[], cuts: readonly number[]): T[][] => {
  const points = [...new Set(cuts.map((c) => Math.floor(c * log.length)))]
    .filter((p) => p > 0 && p < log.length)
    .sort((a, b) => a - b);
  const out: T[][] = [];
  let from = 0;
  for (const p of [...points, log.length]) {
    out.push(log.slice(from, p));
    from = p;
  }
  return out.filter((b) => b.length > 0);
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The business dates a log mentions, each with the day before and after: where rosters and levels
 * change, so where probes find something to compare (uniform probes over ten years mostly miss).
 */
export const datesIn = (events: readonly { readonly data: unknown }[]): string[] => {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string' && DATE.test(value)) found.add(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  events.forEach((event) => visit(event.data));
  return [...found].sort();
};
