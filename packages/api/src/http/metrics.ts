import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Runtime } from '../runtime.ts';

/**
 * The Prometheus metrics of one server (prom-client): HTTP latency by route, commands and appended
 * events, and on every scrape the log's head, each projection's position, lag and state.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly commands: Counter<'command' | 'outcome'>;
  readonly eventsAppended: Counter;

  constructor(runtime: Runtime) {
    collectDefaultMetrics({ register: this.registry, prefix: 'cogov_process_' });
    this.httpDuration = new Histogram({
      name: 'cogov_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers: [this.registry],
    });
    this.commands = new Counter({
      name: 'cogov_commands_total',
      help: 'Commands handled, by type and outcome (accepted, rejected, replayed)',
      labelNames: ['command', 'outcome'],
      registers: [this.registry],
    });
    this.eventsAppended = new Counter({
      name: 'cogov_events_appended_total',
      help: 'Events appended through this server (rate() of it is the append rate)',
      registers: [this.registry],
    });
    const head: Gauge = new Gauge({
      name: 'cogov_log_head_position',
      help: 'Global position of the last event in the log',
      registers: [this.registry],
      collect: async () => head.set((await runtime.store.lastPosition()) ?? -1),
    });
    const position: Gauge<'projection' | 'role'> = new Gauge({
      name: 'cogov_projection_position',
      help: 'Last log position applied, by projection and slot role',
      labelNames: ['projection', 'role'],
      registers: [this.registry],
      collect: () => {
        position.reset();
        for (const s of runtime.readModels.projector.status())
          position.set({ projection: s.projection, role: s.role }, s.position);
        const pm = runtime.readModels.processManager?.status();
        if (pm !== undefined)
          position.set({ projection: `process-manager:${pm.name}`, role: 'active' }, pm.position);
      },
    });
    const lag: Gauge<'projection'> = new Gauge({
      name: 'cogov_projection_lag_events',
      help: 'Events in the log not yet applied, by projection',
      labelNames: ['projection'],
      registers: [this.registry],
      collect: async () => {
        lag.reset();
        const last = (await runtime.store.lastPosition()) ?? -1;
        for (const s of runtime.readModels.projector.status())
          if (s.role === 'active') lag.set({ projection: s.projection }, Math.max(0, last - s.position));
      },
    });
    const stalled: Gauge<'projection' | 'role'> = new Gauge({
      name: 'cogov_projection_stalled_seconds',
      help: 'How long each projection has been unable to commit (a full disk; it retries), 0 when it is not',
      labelNames: ['projection', 'role'],
      registers: [this.registry],
      collect: () => {
        stalled.reset();
        const since = (stall: { since: string } | null) =>
          stall === null ? 0 : Math.max(0, (Date.now() - Date.parse(stall.since)) / 1_000);
        for (const s of runtime.readModels.projector.status())
          stalled.set({ projection: s.projection, role: s.role }, since(s.stall));
        const pm = runtime.readModels.processManager?.status();
        if (pm !== undefined)
          stalled.set({ projection: `process-manager:${pm.name}`, role: 'active' }, since(pm.stall));
      },
    });
    const state: Gauge<'projection' | 'role' | 'state'> = new Gauge({
      name: 'cogov_projection_state',
      help: '1 for the state each projection is in (catching-up, live, failed, stopped)',
      labelNames: ['projection', 'role', 'state'],
      registers: [this.registry],
      collect: () => {
        state.reset();
        for (const s of runtime.readModels.projector.status())
          state.set({ projection: s.projection, role: s.role, state: s.state }, 1);
      },
    });
  }
}
