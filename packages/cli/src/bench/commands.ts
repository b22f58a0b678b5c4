import {
  CogovService,
  streamIdOf,
  type EventToAppend,
  CommitteeId,
  HUITONG_2022,
  IssueId,
  MeetingId,
  MemberId,
  RegionId,
  type DomainCommand,
  type EventId,
  type PlainDate,
} from '@cogov/domain';
import { LmdbEventStore } from '@cogov/eventstore/lmdb';
import { open } from 'lmdb';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { now, payload, percentile, report, runConcurrently, type BenchContext } from './lib.ts';

const COMMITTEES = 10_000;
const CLIENTS = 64;
const day = (value: string) => value as PlainDate;

/** A full garbage collection, without starting node with --expose-gc. */
const collector = (): (() => void) => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
};
const unsafeEventId = (value: string) => value as EventId;
const committee = (c: number) => CommitteeId.parse(`p3-c${c}`);
const secretary = (c: number) => MemberId.parse(`p3-c${c}-secretary`);
const community = (c: number) => RegionId.parse(`p3-r${c}`);
const issue = (c: number, k: number) => IssueId.parse(`p3-c${c}-i${k}`);

/** Issues registered per committee in the fixture, waiting to be assigned during the run. */
const ISSUES_PER_COMMITTEE = 4;

/**
 * 10 000 communities, each with its party committee (term, secretary), the secretary registered
 * as a member, and four registered issues: written once through the command handler and kept under
 * `.bench/fixtures/`, then copied for each run.
 */
const committeesFixture = async (): Promise<string> => {
  const path = resolve('.bench', 'fixtures', `p3-${COMMITTEES}`);
  if (existsSync(join(path, 'complete.json'))) return path;
  rmSync(path, { recursive: true, force: true });
  const store = await LmdbEventStore.open({ path, durability: 'commit' });
  const cogov = new CogovService({ store, policy: HUITONG_2022 });
  const started = now();
  const run = async (command: DomainCommand) => {
    const result = await cogov.execute(command);
    if (result.status === 'rejected')
      throw new Error(`P3 fixture: ${command.type} refused: ${result.rejection.code}`);
  };
  try {
    const on = day('2024-01-02');
    await run({
      type: 'DefineRegion',
      regionId: RegionId.parse('p3-city'),
      name: '市',
      level: 'county',
      definedOn: on,
    });
    await run({
      type: 'DefineRegion',
      regionId: RegionId.parse('p3-street'),
      name: '街道',
      level: 'town',
      parentId: RegionId.parse('p3-city'),
      definedOn: on,
    });
    await runConcurrently(COMMITTEES, CLIENTS, async (c) => {
      await run({
        type: 'DefineRegion',
        regionId: community(c),
        name: `社区 ${c}`,
        level: 'community',
        parentId: RegionId.parse('p3-street'),
        definedOn: on,
      });
      await run({
        type: 'EstablishCommittee',
        committeeId: committee(c),
        kind: 'community-party-committee',
        regionId: community(c),
        name: `社区党委 ${c}`,
        establishedOn: on,
      });
      await run({ type: 'StartTerm', committeeId: committee(c), termNumber: 1, startsOn: on, renewals: [] });
      await run({
        type: 'RegisterMember',
        memberId: secretary(c),
        name: `书记 ${c}`,
        category: 'in-service',
        communityId: community(c),
        registeredOn: on,
      });
      await run({
        type: 'AssignOfficer',
        committeeId: committee(c),
        personId: secretary(c),
        role: 'secretary',
        effectiveOn: on,
      });
      for (let k = 0; k < ISSUES_PER_COMMITTEE; k++)
        await run({
          type: 'RegisterIssue',
          issueId: issue(c, k),
          committeeId: committee(c),
          title: '楼道堆物',
          trade: 'property',
          source: 'resident',
          registeredOn: day('2024-01-03'),
        });
    });
    const events = ((await store.lastPosition()) ?? -1) + 1;
    writeFileSync(join(path, 'complete.json'), JSON.stringify({ events, committees: COMMITTEES }));
    console.error(
      `# wrote the P3 fixture: ${COMMITTEES} committees, ${events} events in ${Math.round((now() - started) / 1000)} s`,
    );
    return path;
  } finally {
    await store.close();
  }
};

/**
 * P3: the full command path without HTTP (load → decide → append with optimistic concurrency,
 * durable), 64 clients over 10 000 committees, a third each of joint meetings, issue assignments
 * and points awards; against the same count of raw durable lmdb-js puts with the same concurrency.
 * Baseline and commands alternate round after round and are compared by their medians.
 */
export const benchCommands = async (context: BenchContext): Promise<void> => {
  const rounds = context.quick ? 3 : 5;
  const perRound = context.quick ? 4_000 : 12_000;
  const fixture = await committeesFixture();
  const fixtureEvents = (
    JSON.parse(readFileSync(join(fixture, 'complete.json'), 'utf8')) as { events: number }
  ).events;
  if ((rounds + 1) * perRound > COMMITTEES * ISSUES_PER_COMMITTEE * 3)
    throw new Error('P3: not enough registered issues in the fixture for this many commands');

  const dir = context.scratch('p3');
  cpSync(fixture, join(dir, 'store'), { recursive: true });
  const store = await LmdbEventStore.open({ path: join(dir, 'store') });
  const cogov = new CogovService({ store, policy: HUITONG_2022 });
  const rawRoot = open({ path: join(dir, 'raw.mdb') });
  const raw = rawRoot.openDB<unknown, number>({ name: 'raw' });

  // Every committee is visited in a shuffled order, so that clients rarely meet on one stream but
  // a stream is met again (and conflicts happen) as the run goes on.
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  let sequence = 0;
  let nextIssue = 0;
  const rejections = new Map<string, number>();
  const commandFor = (n: number): DomainCommand => {
    const c = Math.floor(random() * COMMITTEES);
    switch (n % 3) {
      case 0:
        return {
          type: 'HoldJointMeeting',
          committeeId: committee(c),
          meetingId: MeetingId.parse(`p3-m${n}`),
          heldOn: day('2025-03-10'),
          attendees: [secretary(c)],
          agendaItemIds: [],
          minutesRef: `纪要 p3-m${n}`,
          resolutions: [],
          followUps: [],
        };
      case 1: {
        const i = nextIssue++;
        const owner = i % COMMITTEES;
        return {
          type: 'AssignIssue',
          issueId: issue(owner, Math.floor(i / COMMITTEES)),
          assignee: { kind: 'member', personId: secretary(owner) },
          assignedOn: day('2024-01-04'),
          dueOn: day('2024-02-04'),
        };
      }
      default:
        return {
          type: 'AwardPoints',
          memberId: secretary(c),
          points: 2,
          cause: { kind: 'joint-meeting', sourceId: `p3-award-${n}` },
          awardedOn: day('2025-03-10'),
        };
    }
  };
  const latencies: number[] = [];
  const commands = (record: boolean) =>
    runConcurrently(perRound, CLIENTS, async () => {
      const command = commandFor(sequence++);
      const t = now();
      const result = await cogov.execute(command, { actor: 'bench' });
      if (record) latencies.push(now() - t);
      if (result.status === 'rejected')
        rejections.set(result.rejection.code, (rejections.get(result.rejection.code) ?? 0) + 1);
    });
  let rawKey = 0;
  const rawPuts = () =>
    runConcurrently(perRound, CLIENTS, async () => {
      const i = rawKey++;
      await raw.put(i, payload(i));
      await rawRoot.flushed;
    });

  try {
    await rawPuts();
    await commands(false);
    const rates = { raw: [] as number[], commands: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      rates.raw.push(perRound / (await rawPuts()));
      rates.commands.push(perRound / (await commands(true)));
    }
    if (rejections.size > 0)
      throw new Error(`P3: commands were refused: ${JSON.stringify(Object.fromEntries(rejections))}`);
    const written = ((await store.lastPosition()) ?? -1) + 1 - fixtureEvents;
    if (written !== (rounds + 1) * perRound)
      throw new Error(`P3: ${written} events written for ${(rounds + 1) * perRound} commands`);
    const median = (values: readonly number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    report(
      context,
      {
        id: 'P3',
        name: `commands/s, load → decide → append (durable), ${CLIENTS} clients over ${COMMITTEES} committees, mixed`,
        value: median(rates.commands),
        unit: 'commands/s',
        baseline: median(rates.raw),
      },
      {
        text: 'ratio ≥ 0.3 (baseline: raw durable lmdb-js puts at the same concurrency)',
        met: (_v, r) => (r ?? 0) >= 0.3,
      },
    );
    report(
      context,
      {
        id: 'P3-p99',
        name: `command latency p99 under ${CLIENTS} clients`,
        value: percentile(latencies, 99),
        unit: 'ms',
      },
      null,
    );
    report(
      context,
      {
        id: 'P3-p50',
        name: `command latency p50 under ${CLIENTS} clients`,
        value: percentile(latencies, 50),
        unit: 'ms',
      },
      null,
    );
  } finally {
    await store.close();
    await rawRoot.close();
  }
};

/**
 * A member with `awards` points awarded, each for a cause of its own, written straight to a log;
 * `keyed`: each as the points process manager records it, with a command id of its own.
 */
const memberWithAwards = async (path: string, awards: number, keyed = false): Promise<LmdbEventStore> => {
  rmSync(path, { recursive: true, force: true });
  const store = await LmdbEventStore.open({ path });
  const memberId = 'fold-m-1';
  const stream = streamIdOf('member', memberId);
  const registered: EventToAppend = {
    type: 'MemberRegistered',
    data: {
      memberId,
      name: '王某',
      category: 'resident',
      communityId: null,
      unitId: null,
      registeredOn: '2015-01-05',
    },
  };
  await store.appendToStream(stream, [registered], { expectedRevision: 'no_stream' });
  for (let i = 0; i < awards; i += 500) {
    const chunk: EventToAppend[] = [];
    for (let k = i; k < Math.min(awards, i + 500); k++)
      chunk.push({
        type: 'PointsAwarded',
        data: {
          memberId,
          year: 2015 + Math.floor(k / 400),
          points: 1,
          cause: { kind: 'activity', sourceId: `fold-a-${k}` },
          awardedOn: '2015-06-01',
          balanceAfter: 1 + (k % 400),
        },
        ...(keyed ? { metadata: { schemaVersion: 1, commandId: `points:fold-a-${k}:${memberId}` } } : {}),
      });
    await store.appendToStream(stream, chunk, { expectedRevision: 'any' });
  }
  return store;
};

/**
 * P3-fold: loading a member's record (read and fold its stream, as every command on it does after
 * a restart, and every audit of it) with 5 000 awards against 500, per event. A state that copied
 * what it remembers at every event made this quadratic (0.9 s for 5 000 awards).
 */
export const benchFold = async (context: BenchContext): Promise<void> => {
  // Both members are loaded alternately, round after round (ten loads of the short one, one of
  // the long one: the same events), and compared by their medians, so that drift on a shared
  // machine hits both alike.
  const shortAwards = 500;
  const longAwards = 5_000;
  const shortStore = await memberWithAwards(context.scratch(`fold-${shortAwards}`), shortAwards);
  const longStore = await memberWithAwards(context.scratch(`fold-${longAwards}`), longAwards);
  const loadOnce = async (store: LmdbEventStore, awards: number) => {
    // A service of its own each time: no cached state, a fold from the first event.
    const cogov = new CogovService({ store, policy: HUITONG_2022 });
    const start = now();
    const { revision } = await cogov.load('member', 'fold-m-1');
    const micros = ((now() - start) * 1000) / (awards + 1);
    if (revision !== awards) throw new Error(`P3-fold: loaded revision ${revision}, wrote ${awards}`);
    return micros;
  };
  const perEvent = { short: [] as number[], long: [] as number[] };
  try {
    const rounds = context.quick ? 8 : 20;
    for (let round = -2; round < rounds; round++) {
      // The first two rounds warm the code up and are not counted.
      const shortTimes: number[] = [];
      for (let k = 0; k < longAwards / shortAwards; k++)
        shortTimes.push(await loadOnce(shortStore, shortAwards));
      const longTime = await loadOnce(longStore, longAwards);
      if (round < 0) continue;
      perEvent.short.push(percentile(shortTimes, 50));
      perEvent.long.push(longTime);
    }
  } finally {
    await shortStore.close();
    await longStore.close();
  }
  const short = percentile(perEvent.short, 50);
  const long = percentile(perEvent.long, 50);
  // What a folded member keeps per award, in the cache of every server: ten members of 5 000.
  const memory = async () => {
    const members = 10;
    const awards = 5_000;
    const store = await memberWithAwards(context.scratch('fold-memory'), awards);
    try {
      const collect = collector();
      // The stream is one member's; each load folds it afresh into a state of its own.
      const states: unknown[] = [];
      collect();
      const before = process.memoryUsage().heapUsed;
      for (let m = 0; m < members; m++) {
        states.push(await new CogovService({ store, policy: HUITONG_2022 }).load('member', 'fold-m-1'));
      }
      collect();
      const bytes = (process.memoryUsage().heapUsed - before) / (members * awards);
      if (states.length !== members) throw new Error('P3-fold-memory: states lost');
      return bytes;
    } finally {
      await store.close();
    }
  };
  report(
    context,
    {
      id: 'P3-fold-memory',
      name: 'heap a folded member keeps per award (10 members of 5 000 awards, after a full collection)',
      value: await memory(),
      unit: 'B/award',
    },
    {
      text: '< 100 B an award, its source id included: a cached member costs its awards, not copies of them',
      met: (v) => v < 100,
    },
  );
  report(
    context,
    {
      id: 'P3-fold',
      name: 'load a member with 5 000 awards vs 500 (read and fold its stream): cost per event',
      value: long,
      unit: 'µs/event',
      baseline: short,
    },
    {
      text: 'ratio < 2: a fold costs the same per event whatever the length of the stream (baseline: 500 awards)',
      met: (_v, r) => (r ?? Number.POSITIVE_INFINITY) < 2,
    },
  );
};

/**
 * P3-keyed: a command with a command id of its own (the points process manager's, an HTTP
 * Idempotency-Key) on a member holding 5 000 such commands, against one holding 100, durable. A
 * folded state kept the last 256 command ids (16 now, with digests of all); past them, every new
 * id used to cost a read of the whole stream (8 ms a command at 1 500, growing with the stream).
 */
export const benchKeyedCommands = async (context: BenchContext): Promise<void> => {
  const commands = context.quick ? 100 : 300;
  const perCommand = async (awards: number) => {
    const store = await memberWithAwards(context.scratch(`keyed-${awards}`), awards, true);
    try {
      const cogov = new CogovService({ store, policy: HUITONG_2022 });
      // The first command folds the stream; the ones after it find the state cached.
      await cogov.load('member', 'fold-m-1');
      const times: number[] = [];
      for (let k = 0; k < commands; k++) {
        const start = now();
        const result = await cogov.execute(
          {
            type: 'AwardPoints',
            memberId: MemberId.parse('fold-m-1'),
            points: 1,
            cause: { kind: 'activity', sourceId: `keyed-a-${k}` },
            awardedOn: day('2016-06-01'),
          },
          { commandId: `points:keyed-a-${k}:fold-m-1` },
        );
        times.push(now() - start);
        if (result.status !== 'accepted' || result.replayed)
          throw new Error(
            `P3-keyed: command ${k} was ${result.status === 'accepted' ? 'replayed' : 'rejected'}`,
          );
      }
      return percentile(times, 50);
    } finally {
      await store.close();
    }
  };
  const short = await perCommand(100);
  const long = await perCommand(5_000);
  // The same for the store's own idempotency: an append whose caller chose its event ids (a
  // retry sends the ids of its first try) on a stream of 10 000 events against one of 100.
  const perAppend = async (events: number) => {
    const store = await memberWithAwards(context.scratch(`chosen-${events}`), events - 1);
    try {
      const stream = streamIdOf('member', 'fold-m-1');
      const times: number[] = [];
      for (let k = 0; k < commands; k++) {
        const start = now();
        await store.appendToStream(
          stream,
          [{ type: 'Noted', data: { k }, eventId: unsafeEventId(`chosen-${k}`) }],
          {
            expectedRevision: 'any',
          },
        );
        times.push(now() - start);
      }
      return percentile(times, 50);
    } finally {
      await store.close();
    }
  };
  const fewIds = await perAppend(100);
  const manyIds = await perAppend(10_000);
  report(
    context,
    {
      id: 'S-chosen-ids',
      name: `an append with an event id its caller chose on a stream of 10 000 events vs 100 (durable): p50 of ${commands}`,
      value: manyIds,
      unit: 'ms',
      baseline: fewIds,
    },
    {
      text: 'ratio < 2: checking a chosen id costs the same whatever the length of the stream (baseline: 100 events)',
      met: (_v, r) => (r ?? Number.POSITIVE_INFINITY) < 2,
    },
  );
  report(
    context,
    {
      id: 'P3-keyed',
      name: `a command with a new command id on a member holding 5 000 command ids vs 100 (durable): p50 of ${commands}`,
      value: long,
      unit: 'ms',
      baseline: short,
    },
    {
      text: 'ratio < 2: a new command id costs the same whatever the number the stream holds (baseline: 100)',
      met: (_v, r) => (r ?? Number.POSITIVE_INFINITY) < 2,
    },
  );
};
