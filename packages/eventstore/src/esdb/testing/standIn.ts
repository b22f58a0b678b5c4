import { randomUUID } from 'node:crypto';
import {
  Server,
  ServerCredentials,
  status,
  type handleClientStreamingCall,
  type handleServerStreamingCall,
} from '@grpc/grpc-js';
import type {
  ReadReq as ReadReqMessage,
  AppendReq as AppendReqMessage,
  ReadResp as ReadRespMessage,
} from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js';
import serverFeaturesGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb.js';
import serverFeaturesPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/serverfeatures_pb.js';
import sharedPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js';
import streamsGrpc from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb.js';
import streamsPb from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js';

const { ReadReq, ReadResp, AppendResp } = streamsPb;
const { Empty, UUID, StreamIdentifier } = sharedPb;

/** An event as the stand-in keeps it: what KurrentDB would keep of it. */
interface Stored {
  readonly id: string;
  readonly stream: string;
  readonly revision: number;
  /** Commit and prepare position: one number (a single node commits what it prepares). */
  readonly position: number;
  readonly type: string;
  readonly contentType: string;
  /** 100-ns ticks since the Unix epoch, as KurrentDB's `created` metadata. */
  readonly created: bigint;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export interface KurrentStandIn {
  /** `kurrentdb://127.0.0.1:<port>?tls=false`: what `KurrentDbEventStore.connect` takes. */
  readonly connectionString: string;
  readonly port: number;
  /** How many events the log holds. */
  readonly events: number;
  /** Ends every call in progress with UNAVAILABLE, as a server restart would (subscriptions drop). */
  dropCalls(): void;
  /**
   * What someone with access to the server's storage could do (tests of the chain, ADR 14):
   * rewrite the stored JSON of the event at a `$all` position (its data, its metadata), or remove it.
   */
  tamper(
    position: number,
    change:
      | { readonly remove: true }
      | { readonly data?: (data: unknown) => unknown; readonly metadata?: (metadata: unknown) => unknown },
  ): void;
  close(): Promise<void>;
}

/** Where user events begin: KurrentDB's log starts with its own records, so positions never start at 0. */
const FIRST_POSITION = 1_024;
const TICKS_PER_MS = 10_000n;

const uuidOf = (uuid: sharedPb.UUID | undefined): string => {
  if (uuid === undefined) return randomUUID();
  if (uuid.hasStructured()) {
    const s = uuid.getStructured();
    const hex = (v: string) => BigInt.asUintN(64, BigInt(v)).toString(16).padStart(16, '0');
    const ms = hex(s?.getMostSignificantBits() ?? '0');
    const ls = hex(s?.getLeastSignificantBits() ?? '0');
    return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-${ms.slice(12)}-${ls.slice(0, 4)}-${ls.slice(4)}`;
  }
  return uuid.getString();
};

const structured = (id: string): sharedPb.UUID => {
  const hex = id.replaceAll('-', '');
  const signed = (h: string) => BigInt.asIntN(64, BigInt(`0x${h}`)).toString();
  const value = new UUID.Structured();
  value.setMostSignificantBits(signed(hex.slice(0, 16)));
  value.setLeastSignificantBits(signed(hex.slice(16)));
  return new UUID().setStructured(value);
};

const streamNameOf = (identifier: sharedPb.StreamIdentifier | undefined) =>
  Buffer.from(identifier?.getStreamName() ?? '').toString('utf8');

/**
 * A KurrentDB stand-in for tests on machines where no KurrentDB runs: a gRPC server built from the
 * KurrentDB client package's own service definitions, answering the calls cogov's store makes
 * with KurrentDB's documented semantics, over a log in memory:
 * - `Streams.Append` with every expected state; re-appending events already written (same ids,
 *   consecutively) answers the first result when the expected state is the one before the first
 *   write (or any), and WrongExpectedVersion otherwise, as KurrentDB does;
 * - `Streams.Read` of a stream (StreamNotFound for a missing one) and of `$all`, forwards and
 *   backwards, from a position, with counts and event-type or stream filters;
 * - `Streams.Read` as a `$all` subscription: confirmation, catch-up, `caught_up`, then live events;
 * - `ServerFeatures.GetSupportedMethods`, listing what it serves (no batch append).
 * Not served, for they are not used: deletes, tombstones, persistent subscriptions, projections,
 * users, gossip (single-node connection strings only), TLS and credentials.
 */
export const startKurrentStandIn = async (
  options: { readonly port?: number } = {},
): Promise<KurrentStandIn> => {
  const log: Stored[] = [];
  const streams = new Map<string, Stored[]>();
  const live = new Set<() => void>();
  const calls = new Set<{ cancel(reason: string): void }>();
  let nextPosition = FIRST_POSITION;
  let lastCreated = 0n;

  const append = (
    stream: string,
    expected: AppendReqMessage.Options,
    proposed: readonly AppendReqMessage.ProposedMessage[],
  ): streamsPb.AppendResp => {
    const events = streams.get(stream) ?? [];
    const head = events.length - 1;
    const response = new AppendResp();
    const ids = proposed.map((m) => uuidOf(m.getId()));
    // Events already written with these ids, consecutively: the write is repeated.
    const first = ids.length === 0 ? undefined : events.find((e) => e.id === ids[0]);
    const repeated =
      first !== undefined && ids.every((id, k) => events[first.revision + k]?.id === id) ? first : undefined;
    const expectedRevision = expected.hasRevision() ? Number(expected.getRevision()) : null;
    const before = repeated === undefined ? head : repeated.revision - 1;
    const accepted =
      expected.hasAny() ||
      (expected.hasNoStream() && before === -1) ||
      (expected.hasStreamExists() && before >= 0) ||
      expectedRevision === before;
    if (!accepted) {
      const wrong = new AppendResp.WrongExpectedVersion();
      if (head === -1) wrong.setCurrentNoStream(new Empty());
      else wrong.setCurrentRevision(String(head));
      if (expected.hasAny()) wrong.setExpectedAny(new Empty());
      else if (expected.hasNoStream()) wrong.setExpectedNoStream(new Empty());
      else if (expected.hasStreamExists()) wrong.setExpectedStreamExists(new Empty());
      else wrong.setExpectedRevision(String(expectedRevision));
      return response.setWrongExpectedVersion(wrong);
    }
    const success = new AppendResp.Success();
    const position = new AppendResp.Position();
    if (repeated !== undefined) {
      const last = events[repeated.revision + ids.length - 1] as Stored;
      position.setCommitPosition(String(last.position)).setPreparePosition(String(last.position));
      return response.setSuccess(success.setCurrentRevision(String(last.revision)).setPosition(position));
    }
    if (proposed.length === 0) {
      if (head === -1) success.setNoStream(new Empty());
      else success.setCurrentRevision(String(head));
      return response.setSuccess(success.setNoPosition(new Empty()));
    }
    const now = BigInt(Date.now()) * TICKS_PER_MS;
    lastCreated = now > lastCreated ? now : lastCreated + 1n;
    proposed.forEach((message, k) => {
      const metadata = message.getMetadataMap();
      const data = message.getData_asU8();
      const stored: Stored = {
        id: ids[k] as string,
        stream,
        revision: head + 1 + k,
        position: nextPosition,
        type: metadata.get('type') ?? '',
        contentType: metadata.get('content-type') ?? 'application/octet-stream',
        created: lastCreated,
        data,
        customMetadata: message.getCustomMetadata_asU8(),
      };
      // Positions are offsets into the log: sparse, increasing with what each record takes.
      nextPosition += 128 + data.length;
      events.push(stored);
      log.push(stored);
    });
    streams.set(stream, events);
    const last = events[events.length - 1] as Stored;
    position.setCommitPosition(String(last.position)).setPreparePosition(String(last.position));
    for (const wake of [...live]) wake();
    return response.setSuccess(success.setCurrentRevision(String(last.revision)).setPosition(position));
  };

  const eventMessage = (event: Stored, options: ReadReqMessage.Options): ReadRespMessage => {
    const recorded = new ReadResp.ReadEvent.RecordedEvent();
    const id =
      options.getUuidOption()?.hasStructured() === true
        ? structured(event.id)
        : new UUID().setString(event.id);
    recorded
      .setId(id)
      .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(event.stream, 'utf8')))
      .setStreamRevision(String(event.revision))
      .setPreparePosition(String(event.position))
      .setCommitPosition(String(event.position))
      .setData(event.data)
      .setCustomMetadata(event.customMetadata);
    const metadata = recorded.getMetadataMap();
    metadata.set('type', event.type);
    metadata.set('content-type', event.contentType);
    metadata.set('created', event.created.toString());
    const read = new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(String(event.position));
    return new ReadResp().setEvent(read);
  };

  /** Whether an event passes a read's filter (event type or stream, by regex or prefixes). */
  const filterOf = (options: ReadReqMessage.Options) => {
    if (!options.hasFilter()) return () => true;
    const filter = options.getFilter() as ReadReqMessage.Options.FilterOptions;
    const onType = filter.hasEventType();
    const expression = onType ? filter.getEventType() : filter.getStreamIdentifier();
    const regex = expression?.getRegex() ?? '';
    const prefixes = expression?.getPrefixList() ?? [];
    const pattern = regex === '' ? null : new RegExp(regex);
    return (event: Stored) => {
      const subject = onType ? event.type : event.stream;
      return (
        (pattern === null || pattern.test(subject)) &&
        (prefixes.length === 0 || prefixes.some((p) => subject.startsWith(p)))
      );
    };
  };

  /** Every call in progress, so that `dropCalls` can end them as a restart would. */
  const track = (
    call: { on(event: 'close', listener: () => void): unknown },
    fail: (error: Error & { code: status }) => void,
  ) => {
    const entry = {
      cancel: (reason: string) => fail(Object.assign(new Error(reason), { code: status.UNAVAILABLE })),
    };
    calls.add(entry);
    call.on('close', () => calls.delete(entry));
  };

  const read: handleServerStreamingCall<ReadReqMessage, ReadRespMessage> = (call) => {
    // A server stream ends with an error status by emitting it.
    track(call, (error) => call.emit('error', error));
    const options = call.request.getOptions();
    if (options === undefined) {
      call.emit('error', Object.assign(new Error('no read options'), { code: status.INVALID_ARGUMENT }));
      return;
    }
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const count = options.hasCount() ? Number(options.getCount()) : Number.POSITIVE_INFINITY;
    const passes = filterOf(options);
    if (options.hasStream()) {
      const stream = streamNameOf(options.getStream()?.getStreamIdentifier());
      const events = streams.get(stream);
      if (events === undefined) {
        const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(
          options.getStream()?.getStreamIdentifier(),
        );
        call.write(new ReadResp().setStreamNotFound(notFound));
        call.end();
        return;
      }
      const from =
        options.getStream()?.hasRevision() === true ? Number(options.getStream()?.getRevision()) : null;
      const ordered = backwards ? [...events].reverse() : events;
      let sent = 0;
      for (const event of ordered) {
        if (sent >= count) break;
        if (from !== null && (backwards ? event.revision > from : event.revision < from)) continue;
        if (options.getStream()?.hasEnd() === true && !backwards) break;
        call.write(eventMessage(event, options));
        sent++;
      }
      call.end();
      return;
    }
    const all = options.getAll();
    const start = all?.hasPosition() === true ? Number(all.getPosition()?.getPreparePosition() ?? 0) : null;
    if (!options.hasSubscription()) {
      const fromEnd = all?.hasEnd() === true;
      const ordered = backwards ? [...log].reverse() : log;
      let sent = 0;
      for (const event of ordered) {
        if (sent >= count) break;
        if (fromEnd && !backwards) break;
        if (start !== null && (backwards ? event.position > start : event.position < start)) continue;
        if (!passes(event)) continue;
        call.write(eventMessage(event, options));
        sent++;
      }
      call.end();
      return;
    }
    // A subscription to $all: after the position it is given (exclusive), then live.
    call.write(
      new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())),
    );
    let next =
      all?.hasEnd() === true ? log.length : log.findIndex((e) => start === null || e.position > start);
    if (next === -1) next = log.length;
    let caughtUp = false;
    let ended = false;
    let draining = false;
    const pump = () => {
      // A live append while the client drains what it was sent waits for the same drain.
      if (ended || draining) return;
      while (next < log.length) {
        const event = log[next++] as Stored;
        if (passes(event) && !call.write(eventMessage(event, options))) {
          // Back-pressure: go on when the client has drained what it was sent.
          draining = true;
          call.once('drain', () => {
            draining = false;
            pump();
          });
          return;
        }
      }
      if (!caughtUp) {
        caughtUp = true;
        call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
      }
    };
    const stop = () => {
      ended = true;
      live.delete(pump);
    };
    live.add(pump);
    call.on('cancelled', stop);
    call.on('close', stop);
    call.on('error', stop);
    pump();
  };

  const appendCall: handleClientStreamingCall<AppendReqMessage, streamsPb.AppendResp> = (call, callback) => {
    let answered = false;
    const answer = (error: Error | null, response?: streamsPb.AppendResp) => {
      if (answered) return;
      answered = true;
      callback(error, response);
    };
    track(call, (error) => answer(error));
    let options: AppendReqMessage.Options | undefined;
    const proposed: AppendReqMessage.ProposedMessage[] = [];
    call.on('data', (message: AppendReqMessage) => {
      if (message.hasOptions()) options = message.getOptions();
      else if (message.hasProposedMessage())
        proposed.push(message.getProposedMessage() as AppendReqMessage.ProposedMessage);
    });
    call.on('end', () => {
      if (options === undefined) {
        callback(
          Object.assign(new Error('an append begins with its options'), { code: status.INVALID_ARGUMENT }),
        );
        return;
      }
      callback(null, append(streamNameOf(options.getStreamIdentifier()), options, proposed));
    });
  };

  const server = new Server();
  const unimplemented = (_call: unknown, callback: (error: Error) => void) =>
    callback(Object.assign(new Error('not served by the stand-in'), { code: status.UNIMPLEMENTED }));
  server.addService(streamsGrpc.StreamsService, {
    read,
    append: appendCall,
    delete: unimplemented,
    tombstone: unimplemented,
    batchAppend: (call: { destroy(error: Error): void }) =>
      call.destroy(Object.assign(new Error('not served by the stand-in'), { code: status.UNIMPLEMENTED })),
  });
  server.addService(serverFeaturesGrpc.ServerFeaturesService, {
    getSupportedMethods: (
      _call: unknown,
      callback: (error: null, value: serverFeaturesPb.SupportedMethods) => void,
    ) => {
      const methods = ['read', 'append'].map((name) =>
        new serverFeaturesPb.SupportedMethod()
          .setServiceName('event_store.client.streams.streams')
          .setMethodName(name),
      );
      callback(
        null,
        new serverFeaturesPb.SupportedMethods().setMethodsList(methods).setEventStoreServerVersion('24.10.0'),
      );
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    ),
  );
  return {
    connectionString: `kurrentdb://127.0.0.1:${port}?tls=false`,
    port,
    get events() {
      return log.length;
    },
    dropCalls: () => {
      for (const call of [...calls]) call.cancel('the stand-in dropped the call');
    },
    tamper: (position, change) => {
      const index = log.findIndex((e) => e.position === position);
      const event = log[index];
      if (event === undefined) throw new Error(`no event at ${position}`);
      const stream = streams.get(event.stream) as Stored[];
      if ('remove' in change) {
        log.splice(index, 1);
        stream.splice(stream.indexOf(event), 1);
        return;
      }
      const json = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
      const bytes = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value), 'utf8'));
      const rewritten: Stored = {
        ...event,
        data: change.data === undefined ? event.data : bytes(change.data(json(event.data))),
        customMetadata:
          change.metadata === undefined
            ? event.customMetadata
            : bytes(change.metadata(json(event.customMetadata))),
      };
      log[index] = rewritten;
      stream[stream.indexOf(event)] = rewritten;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const call of [...calls]) call.cancel('the stand-in is closing');
        server.tryShutdown(() => resolve());
      }),
  };
};
