/**
 * The scaled-out scenario of issue 28, shared by the server-side test (the API server filters
 * shards) and the client-side one (tests/faults: the gate off, watchq filters): replicas of
 * `watchq configmaps --shards N --exec HOOK`, each run of the hook logged with its replica, key,
 * UID, resourceVersion and start and end times, so a test can check that no key ever ran on two
 * replicas at overlapping times, that every key's last version was handled, and who owned what.
 */
import fs from 'node:fs';
import path from 'node:path';
import { kubectlOk } from '../../helpers/cluster.ts';
import { WatchqProcess } from './watchq-process.ts';

export interface Run {
  replica: string;
  key: string;
  uid: string;
  rv: number;
  start: number;
  end: number;
}

export class ShardedReplicas {
  readonly #dir: string;
  readonly #args: string[];
  readonly replicas = new Map<string, WatchqProcess>();

  constructor(dir: string, kubeconfig: string, ns: string, shards: number, extra: string[] = []) {
    this.#dir = dir;
    const hook = path.join(dir, 'hook.sh');
    // The object's UID and resourceVersion from its JSON, without jq: each appears once in a ConfigMap.
    fs.writeFileSync(
      hook,
      [
        '#!/bin/sh',
        'start=$(date +%s%N)',
        'json=$(cat)',
        `uid=$(printf '%s' "$json" | sed -n 's/.*"uid":"\\([^"]*\\)".*/\\1/p')`,
        `rv=$(printf '%s' "$json" | sed -n 's/.*"resourceVersion":"\\([0-9]*\\)".*/\\1/p')`,
        'sleep 0.02',
        `echo "$REPLICA $WATCHQ_KEY $uid $rv $start $(date +%s%N)" >> ${path.join(dir, 'runs')}`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    this.#args = ['--kubeconfig', kubeconfig, '-n', ns, 'configmaps', '-l', 'sharded=yes', '--shards', String(shards), '-o', 'json', '--workers', '2', '--exec', hook, ...extra];
  }

  /** Starts replica `name`; `extra` flags go first (e.g. `--server` through a proxy of its own). */
  start(name: string, extra: string[] = []): WatchqProcess {
    const p = new WatchqProcess([...extra, ...this.#args], { ...process.env, NO_COLOR: '1', REPLICA: name });
    this.replicas.set(name, p);
    return p;
  }

  runs(): Run[] {
    const file = path.join(this.#dir, 'runs');
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [replica, key, uid, rv, start, end] = line.split(' ');
        return { replica: replica!, key: key!, uid: uid!, rv: Number(rv), start: Number(start) / 1e6, end: Number(end) / 1e6 };
      });
  }

  /** The shards a replica said it owns last (`Shards owned: 0, 4, 7 of 12`). */
  owned(name: string): number[] {
    const lines = [...this.replicas.get(name)!.stderr.matchAll(/Shards owned: (.*) of \d+$/gm)];
    const last = lines.at(-1)?.[1];
    return last === undefined || last === 'none' ? [] : last.split(', ').map(Number);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.replicas.values()].map((p) => p.stop('SIGKILL')));
  }
}

/** Pairs of runs of one key on two replicas whose times overlap. */
export function overlaps(runs: Run[]): string[] {
  const byKey = new Map<string, Run[]>();
  for (const r of runs) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  const found: string[] = [];
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1]!;
      const cur = list[i]!;
      if (prev.replica !== cur.replica && cur.start < prev.end) found.push(`${key}: ${prev.replica} until ${prev.end}, ${cur.replica} from ${cur.start}`);
    }
  }
  return found;
}

/** Creates `count` ConfigMaps labelled sharded=yes, or updates them all (data v=round), in one apply. */
export async function writeConfigMaps(ns: string, count: number, round: number): Promise<void> {
  const docs = Array.from({ length: count }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}, labels: {sharded: "yes"}}\ndata: {v: "${round}"}\n`);
  await kubectlOk(['apply', '-n', ns, '-f', '-'], { input: docs.join('---\n') });
}

/** Each ConfigMap's key, UID and resourceVersion now. */
export async function liveConfigMaps(ns: string): Promise<Map<string, { uid: string; rv: number }>> {
  const list = JSON.parse(await kubectlOk(['get', 'cm', '-n', ns, '-l', 'sharded=yes', '-o', 'json'])) as { items: Array<{ metadata: { name: string; uid: string; resourceVersion: string } }> };
  return new Map(list.items.map((i) => [`${ns}/${i.metadata.name}`, { uid: i.metadata.uid, rv: Number(i.metadata.resourceVersion) }]));
}
