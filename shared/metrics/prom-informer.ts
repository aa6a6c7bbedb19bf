/**
 * Informer health in prom-client, read from `stats()` at scrape time: relists (410 Gone),
 * reconnects (watch failures, watchdog restarts included), watchdog restarts, events,
 * and whether the cache has synced, labelled by resource.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { InformerStats } from '../informer/informer.ts';

export interface InformerSource {
  /** The label value, e.g. `deployments.apps`. */
  resource: string;
  stats(): InformerStats;
}

export function registerInformerMetrics(registry: Registry, sources: () => InformerSource[]): void {
  const registers = [registry];
  const labelNames = ['resource'] as const;
  const counter = (name: string, help: string, value: (s: InformerStats) => number) =>
    new Counter({
      name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset();
        for (const source of sources()) this.inc({ resource: source.resource }, value(source.stats()));
      },
    });
  const gauge = (name: string, help: string, value: (s: InformerStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect() {
        for (const source of sources()) this.set({ resource: source.resource }, value(source.stats()));
      },
    });
  counter('informer_relists_total', 'Lists after the first, because the watch resourceVersion was too old (410 Gone)', (s) => s.relists);
  counter('informer_reconnects_total', 'Watches reopened after a failure (backoff), watchdog restarts included', (s) => s.reconnects);
  counter('informer_watchdog_restarts_total', 'Watches restarted because they delivered nothing, not even a bookmark', (s) => s.watchdogRestarts);
  counter('informer_watch_events_total', 'ADDED, MODIFIED and DELETED events received', (s) => s.events);
  counter('informer_watches_total', 'Watch requests sent', (s) => s.watches);
  gauge('informer_synced', '1 once the first list has been delivered', (s) => (s.synced ? 1 : 0));
  gauge('informer_objects', 'Objects in the cache', (s) => s.objects);
}
