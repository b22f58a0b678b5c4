import {
  addDays,
  aggregateOfCommand,
  CogovService,
  pointsFor,
  POINTS_SETTLED_CODES,
  type DomainCommand,
  type DomainEvent,
  type EventStore,
  type ExecuteResult,
  type PlainDate,
  type Policy,
  type RecordedEvent,
} from '@cogov/domain';

/**
 * The time a scenario runs at: commands are decided and recorded on simulated days, so that
 * recorded times follow the business dates (and a few facts are recorded late, as in real life).
 */
export class ScenarioClock {
  #day: PlainDate = '2000-01-01' as PlainDate;
  #tick = 0;
  #system = false;

  /** The current instant: the simulated day at 09:00 in China, advancing a little per command. */
  readonly now = (): Date => {
    if (this.#system) return new Date();
    this.#tick += 1;
    return new Date(Date.parse(`${this.#day}T01:00:00Z`) + this.#tick * 50);
  };

  setDay(day: PlainDate): void {
    if (day !== this.#day) this.#tick = 0;
    this.#day = day;
  }

  get day(): PlainDate {
    return this.#day;
  }

  /** After seeding, the store and the service go on with the real time. */
  useSystemTime(): void {
    this.#system = true;
  }
}

/** A command the scenario expected to be accepted was refused: a bug in the scenario or the rules. */
export class ScenarioError extends Error {
  constructor(
    readonly command: DomainCommand,
    readonly code: string,
    readonly details: unknown,
  ) {
    super(`scenario command ${command.type} refused: ${code} ${JSON.stringify(details)}`);
  }
}

/** A small deterministic random source (mulberry32), so a scenario is the same on every run. */
export const random = (seed: number) => {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
    shuffle: <T>(items: readonly T[]): T[] => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j] as T, out[i] as T];
      }
      return out;
    },
  };
};
export type Random = ReturnType<typeof random>;

export interface ScenarioOptions {
  readonly store: EventStore;
  /** Shared with the store (as its clock) so recorded times follow the scenario's days. */
  readonly clock?: ScenarioClock;
  /** changsha: a fraction of the full size (1 = the seeds' figures). */
  readonly scale?: number;
  /** Commands in flight on independent streams (default 1: a fixed order). */
  readonly concurrency?: number;
  /**
   * Called as commands are written: how many so far, how many are planned in all (exact once a
   * scenario has scheduled its commands; it grows for a scenario that schedules in rounds), and
   * what is being written (the phase and the command).
   */
  readonly onProgress?: (progress: {
    readonly commands: number;
    readonly total: number;
    readonly label: string;
  }) => void;
}

/** Drives commands through the real command handler on simulated days. */
export class ScenarioWriter {
  readonly cogov: CogovService;
  readonly clock: ScenarioClock;
  #commands = 0;
  #events = 0;
  readonly #onProgress: ScenarioOptions['onProgress'];
  readonly #concurrency: number;
  #label = '';
  /** Commands run plus commands scheduled and not yet run. */
  #planned = 0;

  constructor(options: ScenarioOptions, policy: Policy) {
    this.clock = options.clock ?? new ScenarioClock();
    this.cogov = new CogovService({ store: options.store, policy, clock: this.clock.now });
    this.#onProgress = options.onProgress;
    this.#concurrency = options.concurrency ?? 1;
  }

  get commands(): number {
    return this.#commands;
  }

  get events(): number {
    return this.#events;
  }

  /** Names the phase of the commands scheduled or run next, for progress reports. */
  phase(label: string): void {
    this.#label = label;
  }

  #report(label: string): void {
    this.#onProgress?.({ commands: this.#commands, total: Math.max(this.#planned, this.#commands), label });
  }

  /** Decides and records on `day` (recorded `lagDays` later). */
  on(day: PlainDate, lagDays = 0): this {
    this.clock.setDay(addDays(day, lagDays));
    return this;
  }

  /** Runs one command; a refusal is a ScenarioError. Awards points for what it recorded. */
  async run(command: DomainCommand, actor = 'clerk'): Promise<ExecuteResult> {
    const result = await this.cogov.execute(command, { actor });
    this.#commands++;
    if (result.status === 'rejected')
      throw new ScenarioError(command, result.rejection.code, result.rejection.details);
    this.#events += result.events.length;
    if (this.#commands % 100 === 0) this.#report(`${this.#label}: ${command.type}`);
    await this.#awardPoints(result);
    return result;
  }

  readonly #timeline: {
    day: PlainDate;
    seq: number;
    command: DomainCommand;
    actor: string;
    phase: string;
  }[] = [];
  #flushedTo: PlainDate | null = null;

  /**
   * Schedules a command to be recorded on `day + lagDays`. `flush` then runs everything scheduled in
   * calendar order, so recorded times follow the business dates across all the scenario's threads.
   */
  schedule(day: PlainDate, command: DomainCommand, lagDays = 0, actor = 'clerk'): void {
    const on = addDays(day, lagDays);
    // Recorded times never go back: a command for a day already flushed would be stamped later
    // than its day, out of order with the rest of the log.
    if (this.#flushedTo !== null && on < this.#flushedTo)
      throw new RangeError(
        `${command.type} scheduled on ${on}, before ${this.#flushedTo} (already recorded)`,
      );
    this.#timeline.push({ day: on, seq: this.#timeline.length, command, actor, phase: this.#label });
  }

  /** Schedules a command on the same recording day as the one scheduled last. */
  scheduleNext(command: DomainCommand, actor = 'clerk'): void {
    const last = this.#timeline[this.#timeline.length - 1];
    this.#timeline.push({
      day: last?.day ?? this.clock.day,
      seq: this.#timeline.length,
      command,
      actor,
      phase: this.#label,
    });
  }

  /**
   * Runs every scheduled command in (recording day, scheduling order). With `concurrency` above 1,
   * a day's commands run on that many lanes, each stream's commands in order on one lane: a
   * scenario keeps a command and the facts it reads from other streams on different days.
   */
  async flush(): Promise<void> {
    const steps = this.#timeline
      .splice(0)
      .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.seq - b.seq));
    const last = steps[steps.length - 1];
    if (last !== undefined) this.#flushedTo = last.day;
    this.#planned = this.#commands + steps.length;
    const phases = new Set<string>();
    const running = (step: (typeof steps)[number]) => {
      this.#label = step.phase;
      if (!phases.has(step.phase)) {
        phases.add(step.phase);
        this.#report(`${step.phase}: ${step.command.type}`);
      }
    };
    if (this.#concurrency <= 1) {
      for (const step of steps) {
        this.clock.setDay(step.day);
        running(step);
        await this.run(step.command, step.actor);
      }
      this.#report('done');
      return;
    }
    for (let start = 0; start < steps.length;) {
      const day = steps[start]!.day;
      let end = start;
      const byStream = new Map<string, (typeof steps)[number][]>();
      for (; end < steps.length && steps[end]!.day === day; end++) {
        const step = steps[end]!;
        const stream = aggregateOfCommand(step.command.type)?.streamOf(step.command) ?? '';
        const lane = byStream.get(stream);
        if (lane === undefined) byStream.set(stream, [step]);
        else lane.push(step);
      }
      this.clock.setDay(day);
      const lanes = [...byStream.values()];
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(this.#concurrency, lanes.length) }, async () => {
          for (let i = next++; i < lanes.length; i = next++)
            for (const step of lanes[i]!) {
              running(step);
              await this.run(step.command, step.actor);
            }
        }),
      );
      start = end;
    }
    this.#report('done');
  }

  /** Runs commands on independent streams, `concurrency` at a time. */
  async all(commands: readonly DomainCommand[], actor = 'clerk'): Promise<void> {
    this.#planned = Math.max(this.#planned, this.#commands) + commands.length;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(this.#concurrency, commands.length) }, async () => {
        for (let i = next++; i < commands.length; i = next++)
          await this.run(commands[i] as DomainCommand, actor);
      }),
    );
  }

  /** The points rule, run inline so a seeded log is complete (the process manager finds nothing left to do). */
  async #awardPoints(result: ExecuteResult): Promise<void> {
    if (result.status !== 'accepted') return;
    for (const [i, event] of result.events.entries()) {
      if (event.type !== 'ActivityHeld' && event.type !== 'IssueResolved') continue;
      const recorded = {
        ...event,
        eventId: result.eventIds[i],
        metadata: { schemaVersion: 1 },
      } as unknown as RecordedEvent<DomainEvent>;
      for (const { command, commandId } of pointsFor(recorded, this.cogov.policy)) {
        const award = await this.cogov.execute(command, {
          commandId,
          causationId: recorded.eventId,
          actor: 'process-manager:points',
        });
        this.#commands++;
        if (award.status === 'rejected' && !POINTS_SETTLED_CODES.has(award.rejection.code)) {
          throw new ScenarioError(command, award.rejection.code, award.rejection.details);
        }
        if (award.status === 'accepted') this.#events += award.events.length;
      }
    }
  }
}

/** What running a scenario produced, and where its figures should be read. */
export interface ScenarioResult {
  readonly name: string;
  readonly commands: number;
  readonly events: number;
  /** The root region (the county or city). */
  readonly root: string;
  /** The period the seeds' figures cover. */
  readonly period: { readonly from: PlainDate; readonly to: PlainDate };
  /** A few ids worth showing in a demo (a committee, a person with a history, a date with a backdated change). */
  readonly highlights: Readonly<Record<string, string>>;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly policy: Policy;
  /**
   * How many commands a run issues (points awards not counted): exact for a scenario of fixed size
   * (a test holds huitong and kaiyuan to it), an estimate for one that scales (changsha).
   */
  expectedCommands(scale?: number): number;
  run(options: ScenarioOptions): Promise<ScenarioResult>;
}
