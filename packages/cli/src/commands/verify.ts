import { dataPaths } from '@cogov/api/config';
import { checkCheckpoint, signCheckpoint, type Checkpoint, type VerifyReport } from '@cogov/eventstore';
import { LmdbLogReader } from '@cogov/eventstore/lmdb';
import { InstallationKey } from '@cogov/storage';
import { InvalidArgumentError } from 'commander';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { configFrom } from '../options.ts';
import { progressOn } from '../progress.ts';

/**
 * Exit codes of `cogov verify`: 0 the log (up to the checkpoint) is intact; 1 a break was found,
 * or the log is not the one a checkpoint was made of; 2 a bad argument or an unreadable
 * checkpoint file; 3 a data directory that cannot be read; 5 a checkpoint that cannot be trusted
 * (its signature does not verify, or another key signed it).
 */
export const VERIFY_EXIT = { intact: 0, broken: 1, usage: 2, directory: 3, untrusted: 5 } as const;

export interface VerifyFlags {
  readonly dataDir?: string;
  /** A checkpoint to start after (trusted: its signature is checked). */
  readonly after?: string;
  /** A checkpoint to prove: the log up to its position must be the one it was made of. */
  readonly against?: string;
  /** The public key (PEM) trusted to have signed the checkpoints; default: this installation's. */
  readonly key?: string;
  readonly json?: boolean;
}

/** A checkpoint file, read and checked; exits on what is wrong with it. */
const readCheckpoint = (file: string, trusted: KeyObject, flag: string): Checkpoint => {
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidArgumentError(`${flag} ${file}: not a readable JSON checkpoint (${String(error)})`);
  }
  const checked = checkCheckpoint(input, trusted);
  if (checked.ok) return checked.checkpoint;
  if (checked.problem === 'malformed') throw new InvalidArgumentError(`${flag} ${file}: ${checked.detail}`);
  console.error(`cogov verify: the checkpoint ${file} cannot be trusted: ${checked.detail}`);
  process.exit(VERIFY_EXIT.untrusted);
};

const trustedKey = (flags: VerifyFlags, keysDirectory: string): KeyObject => {
  if (flags.key !== undefined) {
    try {
      return createPublicKey(readFileSync(flags.key));
    } catch (error) {
      throw new InvalidArgumentError(`--key ${flags.key}: not a readable public key (${String(error)})`);
    }
  }
  const installation = InstallationKey.load(keysDirectory);
  if (installation === null)
    throw new InvalidArgumentError(
      `no key to check the checkpoint with: this installation has none (${keysDirectory}); give the signer's public key with --key`,
    );
  return installation.publicKey;
};

const describe = (report: VerifyReport): string[] => {
  const rate = report.seconds > 0 ? Math.round(report.events / report.seconds) : report.events;
  const span = `positions ${report.from}–${report.to} (${report.events} events, ${report.records} records) in ${report.seconds.toFixed(2)} s, ${rate} events/s`;
  if (report.break === null)
    return [
      `intact: ${span}`,
      ...(report.headHash === null ? [] : [`head: position ${report.to}, chain hash ${report.headHash}`]),
      ...(report.against === true
        ? ['the checkpoint matches: the log up to it is the one it was made of']
        : []),
    ];
  const b = report.break;
  return [
    `BROKEN at position ${b.position}${b.streamId === null ? '' : ` (stream ${b.streamId})`}: ${b.kind}`,
    `  ${b.detail}`,
    ...(b.expected === undefined ? [] : [`  expected: ${b.expected}`]),
    ...(b.found === undefined ? [] : [`  found:    ${b.found}`]),
    `verified before it: ${span}`,
  ];
};

/** `cogov verify`: walks the log's hash chain and reports the first break. */
export const verify = async (flags: VerifyFlags): Promise<void> => {
  const paths = dataPaths(configFrom(flags));
  const needsKey = flags.after !== undefined || flags.against !== undefined;
  const trusted = needsKey ? trustedKey(flags, paths.keys) : undefined;
  const after =
    flags.after === undefined ? undefined : readCheckpoint(flags.after, trusted as KeyObject, '--after');
  const against =
    flags.against === undefined
      ? undefined
      : readCheckpoint(flags.against, trusted as KeyObject, '--against');
  if (after !== undefined && against !== undefined && against.position <= after.position)
    throw new InvalidArgumentError('--against must be a later checkpoint than --after');
  const config = configFrom(flags);
  if (config.kurrentdbConnectionString !== undefined) {
    // Over KurrentDB: every stream's chain over $all, and a checkpoint of the streams' heads (ADR 14).
    if (after !== undefined)
      throw new InvalidArgumentError(
        '--after: a KurrentDB checkpoint signs the streams’ heads, not a chain hash to resume from; verify from the start (with --against)',
      );
    const { KurrentDbEventStore } = await import('@cogov/eventstore/esdb');
    const store = KurrentDbEventStore.connect({ connectionString: config.kurrentdbConnectionString });
    try {
      const report = await store.verify(
        against === undefined ? {} : { against: { position: against.position, hash: against.hash } },
      );
      const { heads: _heads, ...shown } = report;
      if (flags.json === true) console.log(JSON.stringify(shown, null, 2));
      else for (const line of describe(report)) console.log(line);
      process.exitCode = report.break === null ? VERIFY_EXIT.intact : VERIFY_EXIT.broken;
    } finally {
      await store.close();
    }
    return;
  }
  const log = LmdbLogReader.open(paths.events);
  try {
    const head = log.head();
    const to = against?.position ?? head?.position ?? -1;
    const progress = flags.json === true ? null : progressOn();
    const from = after === undefined ? 0 : after.position + 1;
    progress?.start(Math.max(0, to - from + 1), `verifying ${paths.events}`);
    const report = await log.verifyInSlices({
      ...(after === undefined ? {} : { after: { position: after.position, hash: after.hash } }),
      to: Math.max(to, -1),
      ...(against === undefined ? {} : { against: { position: against.position, hash: against.hash } }),
      scanIndex: against === undefined,
      onProgress: (position) => progress?.update(Math.max(0, position - from + 1)),
    });
    progress?.stop(report.break === null ? 'intact' : `broken at ${report.break.position}`);
    if (flags.json === true) console.log(JSON.stringify(report, null, 2));
    else for (const line of describe(report)) console.log(line);
    process.exitCode = report.break === null ? VERIFY_EXIT.intact : VERIFY_EXIT.broken;
  } finally {
    await log.close();
  }
};

/** `cogov checkpoint`: the log's head hash, signed with the installation's key. */
export const checkpoint = async (flags: {
  readonly dataDir?: string;
  readonly out?: string;
}): Promise<void> => {
  const config = configFrom(flags);
  const paths = dataPaths(config);
  let head: { readonly position: number; readonly hash: string } | null;
  if (config.kurrentdbConnectionString !== undefined) {
    const { KurrentDbEventStore } = await import('@cogov/eventstore/esdb');
    const store = KurrentDbEventStore.connect({ connectionString: config.kurrentdbConnectionString });
    try {
      head = await store.chainHead();
    } finally {
      await store.close();
    }
  } else {
    const log = LmdbLogReader.open(paths.events);
    try {
      head = log.head();
    } finally {
      await log.close();
    }
  }
  if (head === null)
    throw new InvalidArgumentError(`the log at ${paths.events} is empty: there is nothing to sign`);
  const signed = signCheckpoint(InstallationKey.loadOrCreate(paths.keys), head);
  const text = `${JSON.stringify(signed, null, 2)}\n`;
  if (flags.out === undefined) process.stdout.write(text);
  else {
    writeFileSync(flags.out, text);
    console.error(
      `checkpoint of position ${head.position} written to ${flags.out} (key ${signed.keyFingerprint.slice(0, 16)}…)`,
    );
  }
};
