import type { EventMetadata, RecordedEvent } from '@cogov/domain/kernel';
import { LmdbEventStore } from '../lmdb/lmdbEventStore.ts';

/**
 * Copies a log into a new LMDB store event for event: the same stream, revision, position, id
 * and recorded time, each event's data and metadata passed through `transform` (as an older
 * version of the software would have written it, say). Returns the events copied.
 */
export const copyLog = async (
  source: { readAll(): AsyncIterable<RecordedEvent> },
  targetPath: string,
  transform: (event: RecordedEvent) => { readonly data: unknown; readonly metadata: EventMetadata } = (e) =>
    e,
): Promise<number> => {
  let at = new Date(0);
  const target = await LmdbEventStore.open({ path: targetPath, clock: () => at });
  let copied = 0;
  try {
    for await (const event of source.readAll()) {
      at = event.recordedAt;
      const { data, metadata } = transform(event);
      const result = await target.appendToStream(
        event.streamId,
        [{ type: event.type, data, eventId: event.eventId, metadata }],
        { expectedRevision: event.revision === 0 ? 'no_stream' : ((event.revision - 1) as never) },
      );
      if (result.position !== event.position)
        throw new Error(`copied event ${event.eventId} landed at ${result.position}, not ${event.position}`);
      copied++;
    }
  } finally {
    await target.close();
  }
  return copied;
};
