/**
 * Work queues for controllers, a port of client-go's util/workqueue:
 * queue.ts (add/get/done, dirty + processing) → delaying-queue.ts (addAfter) →
 * rate-limiting-queue.ts (addRateLimited/forget/numRequeues), with the retry policies in
 * rate-limiters.ts, the metrics hooks in metrics.ts and the time source in clock.ts.
 */
export { realClock, type Clock, type TimerHandle } from './clock.ts';
export { createQueue, WorkQueue, type GetResult, type Queue, type QueueOptions } from './queue.ts';
export {
  createDelayingQueue,
  DelayingWorkQueue,
  type DelayingQueue,
  type DelayingQueueOptions,
} from './delaying-queue.ts';
export {
  createRateLimitingQueue,
  RateLimitingWorkQueue,
  type RateLimitingQueue,
  type RateLimitingQueueOptions,
} from './rate-limiting-queue.ts';
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  defaultItemBasedRateLimiter,
  ItemExponentialFailureRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
  WithMaxWaitRateLimiter,
  type BucketRateLimiterOptions,
  type RateLimiter,
} from './rate-limiters.ts';
export {
  noopMetricsProvider,
  unfinishedWorkUpdatePeriodMs,
  workqueueMetricDefinitions,
  type CounterMetric,
  type GaugeMetric,
  type HistogramMetric,
  type MetricsProvider,
  type SettableGaugeMetric,
  type WorkqueueMetricDefinition,
} from './metrics.ts';
