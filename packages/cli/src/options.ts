import { loadConfig, type Config } from '@cogov/api/config';
import { InvalidArgumentError } from 'commander';

export const positiveNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a positive number');
  return n;
};

export const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('a port between 0 and 65535');
  return n;
};

export const year = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1949 || n > 2100)
    throw new InvalidArgumentError('a year between 1949 and 2100');
  return n;
};

/** A business date, YYYY-MM-DD, that exists on the calendar. */
export const plainDate = (value: string) => {
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value
  )
    throw new InvalidArgumentError('a date YYYY-MM-DD');
  return value;
};

/** Flags most commands take, as settings. */
export interface CommonFlags {
  readonly port?: number;
  readonly host?: string;
  readonly dataDir?: string;
  readonly logLevel?: string;
}

/** The configuration from COGOV_CONFIG, the environment and the command's flags. */
export const configFrom = (flags: CommonFlags, defaults: Partial<Config> = {}): Config =>
  loadConfig(process.env, {
    ...defaults,
    ...(flags.port === undefined ? {} : { port: flags.port }),
    ...(flags.host === undefined ? {} : { host: flags.host }),
    ...(flags.dataDir === undefined ? {} : { dataDir: flags.dataDir }),
    ...(flags.logLevel === undefined ? {} : { logLevel: flags.logLevel }),
  });
