/** Discovery and name → resource mapping: the public entry point for plugins. */
export type { ApiResource, GroupVersionKind, GroupVersionResource } from './api-resource.ts';
export {
  apiVersionOf,
  fullName,
  fullyQualifiedName,
  namePrefix,
  objectName,
  parseApiVersion,
  resourcePath,
} from './api-resource.ts';
export type { DocumentName, GroupDiscoveryList } from './aggregated.ts';
export { AGGREGATED_ACCEPT, fetchDiscoveryDocument, flattenDiscovery } from './aggregated.ts';
export type { CacheEntry, Clock, DiscoveryCache } from './disk-cache.ts';
export { createDiskCache, DEFAULT_TTL_MS, defaultCacheRoot, discoveryCacheDir, systemClock } from './disk-cache.ts';
export type { RestMapper } from './rest-mapper.ts';
export { createRestMapper } from './rest-mapper.ts';
export type { Discovery, DiscoveryOptions } from './discovery-client.ts';
export { createDiscovery } from './discovery-client.ts';
