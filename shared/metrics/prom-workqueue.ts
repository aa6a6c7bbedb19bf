/**
 * The work queues' metrics in prom-client (k8s.io/component-base's workqueue adapter): one
 * metric per definition in shared/workqueue/metrics.ts, labelled by queue name.
 *
 *   const registry = new Registry();
 *   const queue = createRateLimitingQueue({ name: 'deployments', metricsProvider: promWorkqueueMetricsProvider(registry) });
 *
 * Make one provider per registry (metric names are registered once).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { workqueueMetricDefinitions as defs, type MetricsProvider } from '../workqueue/metrics.ts';

export function promWorkqueueMetricsProvider(registry: Registry): MetricsProvider {
  const registers = [registry];
  const labelNames = ['name'] as const;
  const gauge = (d: { name: string; help: string }) => new Gauge({ name: d.name, help: d.help, labelNames, registers });
  const counter = (d: { name: string; help: string }) => new Counter({ name: d.name, help: d.help, labelNames, registers });
  const histogram = (d: { name: string; help: string; buckets: readonly number[] }) =>
    new Histogram({ name: d.name, help: d.help, labelNames, buckets: [...d.buckets], registers });

  const depth = gauge(defs.depth);
  const adds = counter(defs.adds);
  const latency = histogram(defs.latency);
  const workDuration = histogram(defs.workDuration);
  const unfinished = gauge(defs.unfinishedWorkSeconds);
  const longestRunning = gauge(defs.longestRunningProcessorSeconds);
  const retries = counter(defs.retries);
  return {
    newDepthMetric: (name) => depth.labels({ name }),
    newAddsMetric: (name) => adds.labels({ name }),
    newLatencyMetric: (name) => latency.labels({ name }),
    newWorkDurationMetric: (name) => workDuration.labels({ name }),
    newUnfinishedWorkSecondsMetric: (name) => unfinished.labels({ name }),
    newLongestRunningProcessorSecondsMetric: (name) => longestRunning.labels({ name }),
    newRetriesMetric: (name) => retries.labels({ name }),
  };
}
