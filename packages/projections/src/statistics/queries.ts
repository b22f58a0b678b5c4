import { addDays, type PlainDate } from '@cogov/domain';
import type { Key } from 'lmdb';
import { dayToDate, decompose, EPOCH_START, monthBucket, monthStart, type Granularity } from './buckets.ts';
import { METRICS, type MetricName } from './metrics.ts';
import type { StatisticsDatabases } from './projection.ts';
import { dayOfYear, lastBlock, resolveKnownAt, sumBlockAt, sumDays } from './tally.ts';

/** The statistics projection's databases the queries read (`known*`: changes by recording hour). */
type QueryDatabases = Pick<StatisticsDatabases, 'counters' | 'histograms' | 'known' | 'knownHistograms'>;

/** A query the read model cannot answer as asked (the API turns it into a 400 naming the fields). */
export class StatisticsQueryError extends Error {
  readonly _tag = 'StatisticsQueryError';
  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

/** Figures as known at an instant were asked of read models that do not keep them yet (a rebuild is under way). */
export class KnownAtUnavailableError extends Error {
  readonly _tag = 'KnownAtUnavailableError';
  constructor() {
    super(
      'statistics as known at an instant are not available until the statistics read model has been rebuilt by this version',
    );
  }
}

export interface ScopeQuery {
  /** `r:{regionId}` (the region and everything under it), `c:`, `u:`, `m:` or `g:` followed by an id. */
  readonly scope: string;
  /** e.g. `level=community`; omitted: the total. */
  readonly facet?: string;
}

export type SeriesGranularity = 'day' | 'month' | 'quarter' | 'year';

/** How a version of the statistics read model stores its figures. */
export type StatisticsLayout = 'series' | 'rollups';

const lastDayOfMonth = (bucket: number): PlainDate => addDays(monthStart(bucket + 1), -1);

/**
 * Plain typed functions over the statistics read model, for the API and for embedding systems.
 *
 * @example
 * const queries = new StatisticsQueries(projector.databases('statistics'));
 * queries.total('issues.resolved', { scope: 'r:huitong' }, '2022-01-01', '2022-12-31'); // 67
 */
export class StatisticsQueries {
  readonly #dbs: QueryDatabases;
  readonly #layout: StatisticsLayout;
  /** Set for figures as known at an instant: the last recording slot they count. */
  readonly #slot: number | null;
  /** The instant the figures are known at (the end of the last whole recorded hour), or null: now. */
  readonly knownAt: Date | null;
  readonly #keepsRecordingTimes: boolean;

  /**
   * @param layout how the read model stores its figures: `series` (version 5 on, ADR 0020) or the
   * day, month and year `rollups` of versions 3 and 4 (ADR 0008), read while a rebuild by this
   * version is under way.
   */
  constructor(
    dbs: QueryDatabases,
    options: {
      readonly layout?: StatisticsLayout;
      readonly knownAt?: Date | null;
      readonly keepsRecordingTimes?: boolean;
    } = {},
  ) {
    this.#dbs = dbs;
    this.#layout = options.layout ?? 'series';
    this.#keepsRecordingTimes = options.keepsRecordingTimes ?? true;
    const knownAt = options.knownAt ?? null;
    if (knownAt === null) {
      this.#slot = null;
      this.knownAt = null;
    } else {
      const { slot, resolved } = resolveKnownAt(knownAt);
      this.#slot = slot;
      this.knownAt = resolved;
    }
  }

  /**
   * The same queries as the records stood at `knownAt`: every figure counts only the events
   * recorded by the end of the last whole hour up to it (10:30 → 09:59:59.999), before later
   * corrections and backdated facts. A lookup of the changes by recording hour, not a replay.
   *
   * @example
   * queries.asKnownAt(new Date('2022-10-01T00:00:00+08:00')).levelOn('partTime.sitting', { scope: 'r:lincheng' }, '2022-12-31');
   */
  asKnownAt(knownAt: Date): StatisticsQueries {
    if (!this.#keepsRecordingTimes) throw new KnownAtUnavailableError();
    return new StatisticsQueries(this.#dbs, { layout: this.#layout, knownAt });
  }

  /**
   * The sum of a series over the dates [from, to]: one range read of its years (ADR 0020). As known
   * at an instant: the years say which ever changed, and each one's value then is its last block of
   * history by the resolved hour (one seek per year, whatever the length of its history).
   */
  #sumSeries(metric: MetricName, scope: string, facet: string, from: PlainDate, to: PlainDate): number {
    const first = Number(from.slice(0, 4));
    const last = Number(to.slice(0, 4));
    const firstDay = dayOfYear(from);
    const lastDay = dayOfYear(to);
    const range = {
      start: [metric, scope, facet, first] as Key,
      end: [metric, scope, facet, last + 1] as Key,
    };
    const slot = this.#slot;
    let sum = 0;
    if (slot === null) {
      for (const { key, value } of this.#dbs.counters.getRange(range)) {
        const year = (key as Key[])[3] as number;
        // The stored value leads with its last block: the day values start at 1.
        sum += sumDays(value as number[], year === first ? firstDay : 0, year === last ? lastDay : 366, 1);
      }
      return sum;
    }
    for (const key of this.#dbs.counters.getKeys(range)) {
      const year = (key as Key[])[3] as number;
      const block = lastBlock(this.#dbs.known, key as Key[], slot);
      if (block !== undefined)
        sum += sumBlockAt(block, slot, year === first ? firstDay : 0, year === last ? lastDay : 366);
    }
    return sum;
  }

  /**
   * Versions 3 and 4 (ADR 0008, 0015): the sum of one metric's counters over buckets [from, to] of
   * one granularity, each bucket as known at an instant by its last value by the resolved hour.
   */
  #sumRollups(
    metric: MetricName,
    scope: string,
    facet: string,
    granularity: Granularity,
    from: number,
    to: number,
  ) {
    let sum = 0;
    const start = [metric, scope, facet, granularity, from] as Key;
    const end = [metric, scope, facet, granularity, to + 1] as Key;
    const slot = this.#slot;
    if (slot === null) {
      for (const { value } of this.#dbs.counters.getRange({ start, end })) sum += value as number;
      return sum;
    }
    for (const key of this.#dbs.counters.getKeys({ start, end }))
      sum += (this.#lastBy(this.#dbs.known, key as Key[], slot) as number | undefined) ?? 0;
    return sum;
  }

  /** The value stored under `[...key, slot']` for the latest slot' ≤ `slot`. */
  #lastBy(db: QueryDatabases['known'], key: readonly Key[], slot: number): unknown {
    for (const { value } of db.getRange({
      start: [...key, slot] as Key,
      end: key as Key,
      reverse: true,
      limit: 1,
    }))
      return value;
    return undefined;
  }

  /** The sum of a flow over [from, to] (inclusive), or of a level's changes over it. */
  total(metric: MetricName, query: ScopeQuery, from: PlainDate, to: PlainDate): number {
    const member = query.scope.startsWith('m:');
    if (member && (!from.endsWith('-01-01') || !to.endsWith('-12-31')))
      throw new StatisticsQueryError(
        'a member’s figures are kept by year: ask from a 1 January to a 31 December',
        { scope: query.scope, from, to },
      );
    if (this.#layout === 'series') return this.#sumSeries(metric, query.scope, query.facet ?? '', from, to);
    let sum = 0;
    for (const run of decompose(from, to, member ? ['y'] : ['d', 'm', 'y']))
      sum += this.#sumRollups(metric, query.scope, query.facet ?? '', run.granularity, run.from, run.to);
    return sum;
  }

  /** A level on a date: every change up to and including it. */
  levelOn(metric: MetricName, query: ScopeQuery, on: PlainDate): number {
    if (query.scope.startsWith('m:'))
      throw new StatisticsQueryError('levels are not kept per member', { scope: query.scope, metric });
    return this.total(metric, query, EPOCH_START, on);
  }

  /** The metric per period over [from, to]: flows summed per period, levels at each period's end. */
  series(
    metric: MetricName,
    query: ScopeQuery,
    from: PlainDate,
    to: PlainDate,
    granularity: SeriesGranularity,
  ): { period: string; from: PlainDate; to: PlainDate; value: number }[] {
    const periods: { period: string; from: PlainDate; to: PlainDate }[] = [];
    let start = from;
    while (start <= to) {
      let end: PlainDate;
      let label: string;
      if (granularity === 'day') {
        end = start;
        label = start;
      } else if (granularity === 'month') {
        end = lastDayOfMonth(monthBucket(start));
        label = start.slice(0, 7);
      } else if (granularity === 'quarter') {
        const month = Number(start.slice(5, 7));
        const quarterEnd = monthBucket(start) + (2 - ((month - 1) % 3));
        end = lastDayOfMonth(quarterEnd);
        label = `${start.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
      } else {
        end = `${start.slice(0, 4)}-12-31` as PlainDate;
        label = start.slice(0, 4);
      }
      if (end > to) end = to;
      periods.push({ period: label, from: start, to: end });
      start = addDays(end, 1);
    }
    const isLevel = METRICS[metric].kind === 'level';
    return periods.map((p) => ({
      ...p,
      value: isLevel ? this.levelOn(metric, query, p.to) : this.total(metric, query, p.from, p.to),
    }));
  }

  /** The median (and count) of a histogram metric over the months covering [from, to]. */
  median(
    metric: 'issues.daysToResolve',
    scope: string,
    from: PlainDate,
    to: PlainDate,
  ): { readonly median: number | null; readonly count: number } {
    const { value, count } = this.percentile(metric, scope, from, to, 50);
    return { median: value, count };
  }

  /**
   * The p-th percentile (nearest rank: the smallest value with at least p % of the counts at or
   * below it) and count of a histogram metric over the months covering [from, to].
   */
  percentile(
    metric: 'issues.daysToResolve',
    scope: string,
    from: PlainDate,
    to: PlainDate,
    p: number,
  ): { readonly value: number | null; readonly count: number } {
    const counts = new Map<number, number>();
    const range = {
      start: [metric, scope, 'm', monthBucket(from)] as Key,
      end: [metric, scope, 'm', monthBucket(to) + 1] as Key,
    };
    const slot = this.#slot;
    const entries =
      slot === null
        ? this.#dbs.histograms.getRange(range)
        : this.#dbs.histograms.getKeys(range).map((key) => ({
            value: this.#lastBy(this.#dbs.knownHistograms, key as Key[], slot) ?? {},
          }));
    for (const { value } of entries) {
      for (const [days, count] of Object.entries(value as Record<string, number>))
        counts.set(Number(days), (counts.get(Number(days)) ?? 0) + count);
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    if (total === 0) return { value: null, count: 0 };
    let seen = 0;
    for (const [days, count] of [...counts].sort((a, b) => a[0] - b[0])) {
      seen += count;
      if (seen * 100 >= total * p) return { value: days, count: total };
    }
    return { value: null, count: total };
  }

  /** The figures of DOMAIN.md's "statistics the users read" for one scope and period. */
  summary(scope: string, from: PlainDate, to: PlainDate): StatisticsSummary {
    const t = (metric: MetricName, facet?: string) =>
      this.total(metric, { scope, ...(facet === undefined ? {} : { facet }) }, from, to);
    const l = (metric: MetricName, facet?: string) =>
      this.levelOn(metric, { scope, ...(facet === undefined ? {} : { facet }) }, to);
    const rate = (part: number, whole: number) =>
      whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
    const resolved = t('issues.resolved');
    const rated = t('projects.rated');
    return {
      scope,
      from,
      to,
      knownAt: this.knownAt?.toISOString() ?? null,
      partTime: {
        appointed: t('partTime.appointed'),
        appointedSubdistrictLevel: t('partTime.appointed', 'level=subdistrict'),
        appointedCommunityLevel: t('partTime.appointed', 'level=community'),
        sittingAtEnd: l('partTime.sitting'),
        exited: t('partTime.exited'),
        exitedByReason: {
          expired: t('partTime.exited', 'reason=expired'),
          dismissed: t('partTime.exited', 'reason=dismissed'),
          withdrew: t('partTime.exited', 'reason=withdrew'),
        },
        renewed: t('partTime.renewed'),
        /** Part-time members holding each of the four roles (四大员) on the last day. */
        withDutyAtEnd: {
          policyAdvocate: l('partTime.withDuty', 'duty=policy-advocate'),
          communityCounsellor: l('partTime.withDuty', 'duty=community-counsellor'),
          projectFollower: l('partTime.withDuty', 'duty=project-follower'),
          opinionCollector: l('partTime.withDuty', 'duty=opinion-collector'),
        },
      },
      meetings: {
        held: t('meetings.held'),
        attendances: t('meetings.attendances'),
        partTimeAttendances: t('meetings.attendances', 'role=part-time'),
        partTimeAttendancesAtCommunityMeetings: t('meetings.attendances', 'partTime=community'),
        partTimeAttendancesAtSubdistrictMeetings: t('meetings.attendances', 'partTime=subdistrict'),
        attendanceRate: rate(t('meetings.attendances'), t('meetings.invited')),
      },
      issues: {
        registered: t('issues.registered'),
        assigned: t('issues.assigned'),
        resolved,
        resolvedOnTime: t('issues.resolved', 'onTime=true'),
        resolutionRate: rate(resolved, t('issues.assigned')),
        meanDaysToResolve:
          resolved === 0 ? null : Math.round((t('issues.daysToResolve') / resolved) * 10) / 10,
        medianDaysToResolve: this.median('issues.daysToResolve', scope, from, to).median,
        p90DaysToResolve: this.percentile('issues.daysToResolve', scope, from, to, 90).value,
        escalated: t('issues.escalated'),
      },
      activities: {
        held: t('activities.held'),
        coConstruction: t('activities.held', 'coConstruction=true'),
        participants: t('activities.participants'),
        volunteerHours: t('activities.volunteerHours'),
      },
      projects: {
        needsListed: t('needs.listed'),
        agreed: t('projects.agreed'),
        lists: t('projects.lists'),
        claimed: t('projects.claimed'),
        completed: t('projects.completed'),
        satisfaction: rated === 0 ? null : Math.round((t('projects.satisfaction') / rated) * 100) / 100,
        wishesPosted: t('wishes.posted'),
        wishesClaimed: t('wishes.claimed'),
        wishesFulfilled: t('wishes.fulfilled'),
      },
      committees: {
        /** General branches upgraded (升格) to party committees in the period (huitong 2022: 3). */
        upgraded: t('committees.upgraded'),
      },
      units: { paired: l('units.paired'), reported: t('units.reported') },
      members: {
        registered: l('members.registered'),
        reported: t('members.reported'),
        reportingAtEnd: l('members.reporting'),
      },
      points: { awarded: t('points.awarded'), deducted: t('points.deducted') },
      grids: {
        count: l('grids.count'),
        households: l('grids.households'),
        withBranch: l('grids.withBranch'),
        workers: l('grids.workers'),
        contactCoverage: rate(l('grids.contactHouseholds'), l('grids.households')),
      },
      evaluations: {
        excellent: t('evaluations.graded', 'grade=excellent'),
        competent: t('evaluations.graded', 'grade=competent'),
        basicallyCompetent: t('evaluations.graded', 'grade=basically-competent'),
        incompetent: t('evaluations.graded', 'grade=incompetent'),
      },
      nationalSheet: {
        subdistrictsWithBigWorkingCommittee: l('committees.count', 'kind=subdistrict-working-committee'),
        communitiesWithBigPartyCommittee: l('committees.count', 'kind=community-party-committee'),
        communitiesWhereInServiceMembersReport: l('communities.withReportingMembers'),
        inServiceMembersReported: l('members.reporting'),
      },
    };
  }
}

export interface StatisticsSummary {
  readonly scope: string;
  readonly from: PlainDate;
  readonly to: PlainDate;
  /** As the records stood at this instant (ISO 8601), or null: as they stand now. */
  readonly knownAt: string | null;
  readonly partTime: {
    readonly appointed: number;
    readonly appointedSubdistrictLevel: number;
    readonly appointedCommunityLevel: number;
    readonly sittingAtEnd: number;
    readonly exited: number;
    readonly exitedByReason: {
      readonly expired: number;
      readonly dismissed: number;
      readonly withdrew: number;
    };
    readonly renewed: number;
    /** Holding each of the four roles (四大员: 政策宣讲员, 社区工作参议员, 共建项目跟办员, 社情民意收集员). */
    readonly withDutyAtEnd: {
      readonly policyAdvocate: number;
      readonly communityCounsellor: number;
      readonly projectFollower: number;
      readonly opinionCollector: number;
    };
  };
  readonly meetings: {
    readonly held: number;
    readonly attendances: number;
    /** Part-time members' attendances at every joint meeting in scope (community and street level). */
    readonly partTimeAttendances: number;
    /** …at community joint meetings only: what the seeds report (huitong: 189). */
    readonly partTimeAttendancesAtCommunityMeetings: number;
    /** …at the street's (town's) big working committee's joint meetings only. */
    readonly partTimeAttendancesAtSubdistrictMeetings: number;
    readonly attendanceRate: number | null;
  };
  readonly issues: {
    readonly registered: number;
    readonly assigned: number;
    readonly resolved: number;
    readonly resolvedOnTime: number;
    readonly resolutionRate: number | null;
    readonly meanDaysToResolve: number | null;
    readonly medianDaysToResolve: number | null;
    /** 90th percentile (nearest rank) of days from registration to resolution. */
    readonly p90DaysToResolve: number | null;
    readonly escalated: number;
  };
  readonly activities: {
    readonly held: number;
    readonly coConstruction: number;
    readonly participants: number;
    readonly volunteerHours: number;
  };
  readonly projects: {
    readonly needsListed: number;
    readonly agreed: number;
    readonly lists: number;
    readonly claimed: number;
    readonly completed: number;
    readonly satisfaction: number | null;
    readonly wishesPosted: number;
    readonly wishesClaimed: number;
    readonly wishesFulfilled: number;
  };
  readonly committees: { readonly upgraded: number };
  readonly units: { readonly paired: number; readonly reported: number };
  readonly members: {
    readonly registered: number;
    readonly reported: number;
    readonly reportingAtEnd: number;
  };
  readonly points: { readonly awarded: number; readonly deducted: number };
  readonly grids: {
    readonly count: number;
    readonly households: number;
    readonly withBranch: number;
    readonly workers: number;
    readonly contactCoverage: number | null;
  };
  readonly evaluations: {
    readonly excellent: number;
    readonly competent: number;
    readonly basicallyCompetent: number;
    readonly incompetent: number;
  };
  /** The national party statistics annual report, sheet 社区党建情况. */
  readonly nationalSheet: {
    readonly subdistrictsWithBigWorkingCommittee: number;
    readonly communitiesWithBigPartyCommittee: number;
    readonly communitiesWhereInServiceMembersReport: number;
    readonly inServiceMembersReported: number;
  };
}

export { dayToDate };
