/**
 * controller-runtime's reconcile metrics (pkg/internal/controller/metrics), with its names,
 * labels, buckets and meanings, so its dashboards and alerts work on watchq unchanged:
 *
 * - controller_runtime_reconcile_total{controller,result}: result is success, error,
 *   requeue_after or requeue (all four exported from the start, at 0, as controller-runtime
 *   does; watchq never reports `requeue`, its hooks have no bare "requeue");
 * - controller_runtime_reconcile_errors_total{controller}: failed runs;
 * - controller_runtime_terminal_reconcile_errors_total{controller}: failed runs that are not
 *   retried (a hook's `permanent`, controller-runtime's TerminalError), also counted as errors;
 * - controller_runtime_reconcile_time_seconds{controller}: each run's duration;
 * - controller_runtime_max_concurrent_reconciles, controller_runtime_active_workers.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type ReconcileResult = 'success' | 'error' | 'requeue_after';

export interface ReconcileMetrics {
  started(): void;
  finished(result: ReconcileResult, seconds: number, terminal?: boolean): void;
}

const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60];

export function promReconcileMetrics(registry: Registry, controller: string, workers: number): ReconcileMetrics {
  const registers = [registry];
  const labelNames = ['controller'] as const;
  const total = new Counter({ name: 'controller_runtime_reconcile_total', help: 'Total number of reconciliations per controller', labelNames: ['controller', 'result'] as const, registers });
  const errors = new Counter({ name: 'controller_runtime_reconcile_errors_total', help: 'Total number of reconciliation errors per controller', labelNames, registers });
  const terminal = new Counter({ name: 'controller_runtime_terminal_reconcile_errors_total', help: 'Total number of terminal reconciliation errors per controller', labelNames, registers });
  const time = new Histogram({ name: 'controller_runtime_reconcile_time_seconds', help: 'Length of time per reconciliation per controller', labelNames, buckets, registers });
  new Gauge({ name: 'controller_runtime_max_concurrent_reconciles', help: 'Maximum number of concurrent reconciles per controller', labelNames, registers }).set({ controller }, workers);
  const active = new Gauge({ name: 'controller_runtime_active_workers', help: 'Number of currently used workers per controller', labelNames, registers });
  for (const result of ['error', 'requeue_after', 'requeue', 'success']) total.inc({ controller, result }, 0);
  errors.inc({ controller }, 0);
  terminal.inc({ controller }, 0);
  active.set({ controller }, 0);
  return {
    started: () => active.inc({ controller }),
    finished(result, seconds, isTerminal = false) {
      active.dec({ controller });
      total.inc({ controller, result });
      time.observe({ controller }, seconds);
      if (result === 'error') errors.inc({ controller });
      if (isTerminal) terminal.inc({ controller });
    },
  };
}
