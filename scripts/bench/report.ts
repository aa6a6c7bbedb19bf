/**
 * The bench's results as table rows: one measure each, ours against what it is compared with,
 * the ratio, the goal and whether it is met. Rendered as Markdown (stdout, dist/bench/results.md);
 * the JSON (dist/bench/results.json) holds the rows and every sample behind them.
 */
import type { Summary } from './stats.ts';

export type Unit = 'ms' | 'kB' | 'per-s' | 'MB';

export interface Goal {
  /** ours ÷ theirs must stay at or under `max` … */
  maxRatio?: number;
  /** … or ours must reach `min` (in the row's unit) … */
  minOurs?: number;
  /** … or stay at or under `max` (in the row's unit). */
  maxOurs?: number;
  text: string;
}

export interface Row {
  measure: string;
  unit: Unit;
  ours: Summary | null;
  theirs: Summary | null;
  /** What "theirs" is when not kubectl (curl floor, client-go). */
  theirsLabel?: string;
  ratio: number | null;
  goal: Goal | null;
  /** null: no goal, or not measured. */
  met: boolean | null;
  note?: string;
}

export function row(measure: string, unit: Unit, ours: Summary | null, theirs: Summary | null, goal: Goal | null, extra: Partial<Row> = {}): Row {
  const ratio = extra.ratio !== undefined ? extra.ratio : ours && theirs && theirs.median > 0 ? ours.median / theirs.median : null;
  let met: boolean | null = null;
  if (goal && ours) {
    const checks: boolean[] = [];
    if (goal.maxRatio !== undefined && ratio !== null) checks.push(ratio <= goal.maxRatio);
    if (goal.minOurs !== undefined) checks.push(ours.median >= goal.minOurs);
    if (goal.maxOurs !== undefined) checks.push(ours.median <= goal.maxOurs);
    met = checks.length > 0 ? checks.every(Boolean) : null;
  }
  return { measure, unit, ours, theirs, ratio, goal, met, ...extra };
}

export function notMeasured(measure: string, goal: Goal | null, note: string): Row {
  return { measure, unit: 'ms', ours: null, theirs: null, ratio: null, goal, met: null, note };
}

export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    '| measure | ours median (min–max) | kubectl median (min–max) | ratio | goal | met? |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const theirs = r.theirs ? `${r.theirsLabel ? `${r.theirsLabel}: ` : ''}${cell(r.theirs, r.unit)}` : r.theirsLabel ? `${r.theirsLabel}: –` : '–';
    const ours = r.ours ? cell(r.ours, r.unit) : (r.note ?? 'not measured');
    const ratio = r.ratio === null ? '–' : `${r.ratio.toFixed(2)}×`;
    const met = r.met === null ? '–' : r.met ? 'yes' : '**no**';
    lines.push(`| ${r.measure} | ${ours} | ${theirs} | ${ratio} | ${r.goal?.text ?? '–'} | ${met} |`);
  }
  return `${lines.join('\n')}\n`;
}

function cell(s: Summary, unit: Unit): string {
  const f = (v: number) => format(v, unit);
  return s.n === 1 ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

export function format(value: number, unit: Unit): string {
  switch (unit) {
    case 'ms':
      return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
    case 'kB':
      return `${(value / 1024).toFixed(0)} MiB`;
    case 'MB':
      return `${value.toFixed(1)} MB`;
    case 'per-s':
      return value >= 1e6 ? `${(value / 1e6).toFixed(2)} M/s` : value >= 1e4 ? `${(value / 1e3).toFixed(0)} k/s` : `${value.toFixed(0)}/s`;
  }
}
