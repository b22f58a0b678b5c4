import { SingleBar } from 'cli-progress';

/** Progress of long work (seeding, rebuilding): a bar on a terminal, plain lines otherwise. */
export interface Progress {
  start(total: number, label: string): void;
  /** `total`: the real total, once known (it replaces the estimate `start` was given). */
  update(value: number, label?: string, total?: number): void;
  stop(message: string): void;
}

/** A cli-progress bar on stderr when it is a terminal; otherwise a line per phase, and every 10 % or 5 s. */
export const progressOn = (stream: NodeJS.WriteStream = process.stderr): Progress => {
  if (stream.isTTY === true) {
    const bar = new SingleBar({
      stream,
      format: '{label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left | {phase}',
      hideCursor: true,
      clearOnComplete: false,
    });
    let label = '';
    return {
      start: (total, text) => {
        label = text;
        bar.start(total, 0, { label, phase: '' });
      },
      update: (value, phase, newTotal) => {
        if (newTotal !== undefined) bar.setTotal(newTotal);
        bar.update(value, { label, ...(phase === undefined ? {} : { phase }) });
      },
      stop: (message) => {
        bar.stop();
        stream.write(`${label}: ${message}\n`);
      },
    };
  }
  let total = 0;
  let label = '';
  let lastShare = -1;
  let lastAt = 0;
  let lastPhase = '';
  return {
    start: (t, text) => {
      total = t;
      label = text;
      stream.write(`${label}: started\n`);
    },
    update: (value, phase, newTotal) => {
      if (newTotal !== undefined) total = newTotal;
      const share = total === 0 ? 0 : Math.floor((value / total) * 10);
      const phaseNow = phase?.split(': ')[0] ?? '';
      if (share === lastShare && phaseNow === lastPhase && Date.now() - lastAt < 5_000) return;
      lastShare = share;
      lastPhase = phaseNow;
      lastAt = Date.now();
      stream.write(
        `${label}: ${value}/${total} (${Math.round((value / Math.max(1, total)) * 100)} %)${phase === undefined ? '' : ` ${phase}`}\n`,
      );
    },
    stop: (message) => stream.write(`${label}: ${message}\n`),
  };
};
