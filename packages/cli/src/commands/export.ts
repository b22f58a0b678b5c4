import { openRuntime, toCsv, toXlsx } from '@cogov/api';
import type { PlainDate } from '@cogov/domain';
import {
  annualSheet,
  annualSheetGrid,
  issueLedger,
  issueLedgerGrid,
  pointsLedger,
  pointsLedgerGrid,
  rosterGrid,
  type Grid,
  type IssueLedgerStatus,
} from '@cogov/projections';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { configFrom } from '../options.ts';

export const REPORTS = ['annual-sheet', 'issue-ledger', 'roster', 'points-ledger'] as const;
export type ReportName = (typeof REPORTS)[number];

export interface ExportFlags {
  readonly dataDir?: string;
  readonly region?: string;
  readonly committee?: string;
  readonly year?: number;
  readonly asOf?: string;
  readonly status?: IssueLedgerStatus;
  readonly lang?: 'zh' | 'en';
  readonly format?: 'csv' | 'xlsx';
  readonly out: string;
}

/** A flag a report needs and was not given: exit 2 with a line naming it. */
class MissingFlag extends Error {}
const need = <T>(value: T | undefined, flag: string, report: string): T => {
  if (value === undefined) throw new MissingFlag(`cogov export ${report}: ${flag} is required`);
  return value;
};

/**
 * `cogov export <report>`: what the API answers as a download, offline, from the data directory
 * (the server must not be running on it): the annual sheet, the problem ledger, a roster, the
 * points ledger, as XLSX or CSV by the output's extension (or --format).
 */
export const exportReport = async (report: ReportName, flags: ExportFlags): Promise<void> => {
  const format = flags.format ?? (extname(flags.out).toLowerCase() === '.csv' ? 'csv' : 'xlsx');
  const lang = flags.lang ?? 'zh';
  let runtime;
  try {
    runtime = await openRuntime(configFrom(flags));
  } catch (error) {
    console.error(`cogov export: ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }
  try {
    const head = (await runtime.store.lastPosition()) ?? -1;
    if (!(await runtime.readModels.waitFor(head, 3_600_000)))
      throw new Error('the read models did not catch up with the log');
    const lookups = runtime.readModels.lookups();
    const regionName = (id: string) => {
      const region = lookups.entity('region', id);
      if (region === undefined) throw new MissingFlag(`cogov export ${report}: there is no region ${id}`);
      return region.name;
    };
    let grid: Grid;
    let rows: number;
    switch (report) {
      case 'annual-sheet': {
        const region = need(flags.region, '--region', report);
        regionName(region);
        const sheet = annualSheet(
          runtime.readModels.statistics(),
          lookups,
          region,
          need(flags.year, '--year', report),
        );
        grid = annualSheetGrid(sheet, lang);
        rows = sheet.rows.length;
        break;
      }
      case 'issue-ledger': {
        const region = need(flags.region, '--region', report);
        const today = new Date().toISOString().slice(0, 10) as PlainDate;
        const ledger = issueLedger(lookups, region, {
          status: flags.status ?? 'all',
          today: (flags.asOf as PlainDate | undefined) ?? today,
        });
        grid = issueLedgerGrid(ledger, regionName(region), lang);
        rows = ledger.rows.length;
        break;
      }
      case 'roster': {
        const committee = need(flags.committee, '--committee', report);
        const entity = lookups.entity('committee', committee);
        if (entity === undefined)
          throw new MissingFlag(`cogov export roster: there is no committee ${committee}`);
        const roster = runtime.readModels
          .membership()
          .roster(committee, flags.asOf === undefined ? {} : { asOf: flags.asOf as PlainDate });
        grid = rosterGrid(roster, entity.name, lookups, lang);
        rows = roster.members.length;
        break;
      }
      case 'points-ledger': {
        const region = need(flags.region, '--region', report);
        const year = need(flags.year, '--year', report);
        const ledger = pointsLedger(lookups, region, year);
        grid = pointsLedgerGrid(ledger, regionName(region), year, lang);
        rows = ledger.rows.length;
        break;
      }
    }
    writeFileSync(flags.out, format === 'csv' ? toCsv(grid) : await toXlsx(grid));
    console.log(`${flags.out}: ${report}, ${rows} rows, ${format.toUpperCase()}`);
  } catch (error) {
    if (!(error instanceof MissingFlag)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  } finally {
    await runtime.close();
  }
};
