/**
 * Metrics hooks of the work queues, after client-go's util/workqueue/metrics.go.
 *
 * A MetricsProvider makes one metric object per queue name; the queue calls them as items
 * move. The shapes match prom-client's labelled children, so an adapter is one line per metric:
 *
 *   const depth = new Gauge({ name: 'workqueue_depth', help: ..., labelNames: ['name'] });
 *   newDepthMetric: (name) => depth.labels({ name }),
 *
 * `workqueueMetricDefinitions` lists the names, help texts and histogram buckets that
 * client-go's Prometheus adapter (k8s.io/component-base/metrics/prometheus/workqueue) registers.
 * A queue without a name, or without a provider, records nothing (as in client-go).
 */
import type { Clock, TimerHandle } from '../time/clock.ts';

/** A value that goes up and down (prom-client Gauge child). */
export interface GaugeMetric {
  inc(): void;
  dec(): void;
}

/** A value that is set outright (prom-client Gauge child). */
export interface SettableGaugeMetric {
  set(value: number): void;
}

/** A value that only goes up (prom-client Counter child). */
export interface CounterMetric {
  inc(): void;
}

/** Individual observations, in seconds (prom-client Histogram or Summary child). */
export interface HistogramMetric {
  observe(value: number): void;
}

/** Makes the metrics of the queue called `name`; each is labelled by that name. */
export interface MetricsProvider {
  /** workqueue_depth: items waiting in the queue (not counting those being processed). */
  newDepthMetric(name: string): GaugeMetric;
  /** workqueue_adds_total: adds that were not collapsed into an already-dirty item. */
  newAddsMetric(name: string): CounterMetric;
  /** workqueue_queue_duration_seconds: time from add to get. */
  newLatencyMetric(name: string): HistogramMetric;
  /** workqueue_work_duration_seconds: time from get to done. */
  newWorkDurationMetric(name: string): HistogramMetric;
  /** workqueue_unfinished_work_seconds: summed age of the items being processed now. */
  newUnfinishedWorkSecondsMetric(name: string): SettableGaugeMetric;
  /** workqueue_longest_running_processor_seconds: age of the oldest item being processed. */
  newLongestRunningProcessorSecondsMetric(name: string): SettableGaugeMetric;
  /** workqueue_retries_total: calls of addAfter / addRateLimited. */
  newRetriesMetric(name: string): CounterMetric;
}

export type WorkqueueMetricKind = 'gauge' | 'counter' | 'histogram';

export interface WorkqueueMetricDefinition {
  name: string;
  help: string;
  kind: WorkqueueMetricKind;
  /** Histogram buckets in seconds. */
  buckets?: number[];
}

/** client-go's ExponentialBuckets(10e-9, 10, 10): 1e-8 s … 10 s. */
const durationBuckets = Array.from({ length: 10 }, (_, i) => Number((1e-8 * 10 ** i).toPrecision(1)));

/** Names, help and buckets as k8s.io/component-base registers them, keyed by provider method. */
export const workqueueMetricDefinitions = {
  depth: { name: 'workqueue_depth', kind: 'gauge', help: 'Current depth of workqueue' },
  adds: { name: 'workqueue_adds_total', kind: 'counter', help: 'Total number of adds handled by workqueue' },
  latency: {
    name: 'workqueue_queue_duration_seconds',
    kind: 'histogram',
    help: 'How long in seconds an item stays in workqueue before being requested.',
    buckets: durationBuckets,
  },
  workDuration: {
    name: 'workqueue_work_duration_seconds',
    kind: 'histogram',
    help: 'How long in seconds processing an item from workqueue takes.',
    buckets: durationBuckets,
  },
  unfinishedWorkSeconds: {
    name: 'workqueue_unfinished_work_seconds',
    kind: 'gauge',
    help:
      "How many seconds of work has done that is in progress and hasn't been observed by work_duration. " +
      'Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.',
  },
  longestRunningProcessorSeconds: {
    name: 'workqueue_longest_running_processor_seconds',
    kind: 'gauge',
    help: 'How many seconds has the longest running processor for workqueue been running.',
  },
  retries: { name: 'workqueue_retries_total', kind: 'counter', help: 'Total number of retries handled by workqueue' },
} as const satisfies Record<string, WorkqueueMetricDefinition>;

const noopMetric: GaugeMetric & SettableGaugeMetric & CounterMetric & HistogramMetric = {
  inc() {},
  dec() {},
  set() {},
  observe() {},
};

/** The default provider: every metric discards what it is given. */
export const noopMetricsProvider: MetricsProvider = {
  newDepthMetric: () => noopMetric,
  newAddsMetric: () => noopMetric,
  newLatencyMetric: () => noopMetric,
  newWorkDurationMetric: () => noopMetric,
  newUnfinishedWorkSecondsMetric: () => noopMetric,
  newLongestRunningProcessorSecondsMetric: () => noopMetric,
  newRetriesMetric: () => noopMetric,
};

/** How often a queue with metrics refreshes the unfinished-work gauges (client-go: 500 ms). */
export const unfinishedWorkUpdatePeriodMs = 500;

/**
 * The per-queue bookkeeping behind the metrics (client-go's defaultQueueMetrics). The queue
 * calls add/get/done under its own rules: add only for an item that became dirty, get when an
 * item is handed to a worker, done when a worker reports it finished.
 */
export class QueueMetrics<T> {
  readonly #clock: Clock;
  readonly #depth: GaugeMetric;
  readonly #adds: CounterMetric;
  readonly #latency: HistogramMetric;
  readonly #workDuration: HistogramMetric;
  readonly #unfinishedWorkSeconds: SettableGaugeMetric;
  readonly #longestRunningProcessor: SettableGaugeMetric;
  readonly #addTimes = new Map<T, number>();
  readonly #processingStartTimes = new Map<T, number>();

  constructor(provider: MetricsProvider, name: string, clock: Clock) {
    this.#clock = clock;
    this.#depth = provider.newDepthMetric(name);
    this.#adds = provider.newAddsMetric(name);
    this.#latency = provider.newLatencyMetric(name);
    this.#workDuration = provider.newWorkDurationMetric(name);
    this.#unfinishedWorkSeconds = provider.newUnfinishedWorkSecondsMetric(name);
    this.#longestRunningProcessor = provider.newLongestRunningProcessorSecondsMetric(name);
  }

  add(item: T): void {
    this.#adds.inc();
    this.#depth.inc();
    if (!this.#addTimes.has(item)) this.#addTimes.set(item, this.#clock.now());
  }

  get(item: T): void {
    const now = this.#clock.now();
    this.#depth.dec();
    this.#processingStartTimes.set(item, now);
    const added = this.#addTimes.get(item);
    if (added !== undefined) {
      this.#latency.observe((now - added) / 1000);
      this.#addTimes.delete(item);
    }
  }

  done(item: T): void {
    const started = this.#processingStartTimes.get(item);
    if (started !== undefined) {
      this.#workDuration.observe((this.#clock.now() - started) / 1000);
      this.#processingStartTimes.delete(item);
    }
  }

  updateUnfinishedWork(): void {
    const now = this.#clock.now();
    let total = 0;
    let oldest = 0;
    for (const started of this.#processingStartTimes.values()) {
      const age = (now - started) / 1000;
      total += age;
      if (age > oldest) oldest = age;
    }
    this.#unfinishedWorkSeconds.set(total);
    this.#longestRunningProcessor.set(oldest);
  }

  /**
   * Refreshes the unfinished-work gauges every period until the returned handle is cancelled.
   * The timer is unref'd: metrics never keep a process alive.
   */
  startUnfinishedWorkTicker(periodMs = unfinishedWorkUpdatePeriodMs): TimerHandle {
    let timer: TimerHandle;
    const tick = (): void => {
      this.updateUnfinishedWork();
      timer = this.#clock.after(periodMs, tick);
      timer.unref();
    };
    timer = this.#clock.after(periodMs, tick);
    timer.unref();
    return {
      cancel: () => timer.cancel(),
      unref: () => {},
    };
  }
}

/**
 * Queue metrics for `name` from `provider`, or undefined when nothing should be recorded
 * (no name, or the no-op provider), so the queue can skip the calls altogether.
 */
export function createQueueMetrics<T>(
  provider: MetricsProvider | undefined,
  name: string | undefined,
  clock: Clock,
): QueueMetrics<T> | undefined {
  if (!name || provider === undefined || provider === noopMetricsProvider) return undefined;
  return new QueueMetrics<T>(provider, name, clock);
}

/** The retries counter of `name`, or undefined when nothing should be recorded. */
export function createRetryMetric(provider: MetricsProvider | undefined, name: string | undefined): CounterMetric | undefined {
  if (!name || provider === undefined || provider === noopMetricsProvider) return undefined;
  return provider.newRetriesMetric(name);
}
