/**
 * Whether a Deployment's rollout is done, in `kubectl rollout status`'s terms: the controller
 * has seen the latest generation, and every replica is updated, the old ones are gone, and the
 * updated ones are available.
 */
export interface DeploymentLike {
  metadata?: { name?: string; generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  };
}

export interface RolloutState {
  done: boolean;
  /** The rollout cannot finish by itself (ProgressDeadlineExceeded): stop waiting. */
  failed: boolean;
  /** kubectl's wording: `Waiting for deployment "x" rollout to finish: 1 of 2 updated replicas are available...` */
  message: string;
}

export function rolloutState(d: DeploymentLike): RolloutState {
  const name = d.metadata?.name ?? '';
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const total = s.replicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const waiting = (what: string) => ({ done: false, failed: false, message: `Waiting for deployment "${name}" rollout to finish: ${what}` });
  if ((d.metadata?.generation ?? 0) > (s.observedGeneration ?? 0)) return { done: false, failed: false, message: `Waiting for deployment spec update to be observed...` };
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { done: false, failed: true, message: `deployment "${name}" exceeded its progress deadline` };
  if (updated < want) return waiting(`${updated} out of ${want} new replicas have been updated...`);
  if (total > updated) return waiting(`${total - updated} old replicas are pending termination...`);
  if (available < updated) return waiting(`${available} of ${updated} updated replicas are available...`);
  return { done: true, failed: false, message: `deployment "${name}" successfully rolled out` };
}
