/**
 * Times two ways of doing the same thing in alternation (A B A B …) after a warm-up, so load that
 * comes and goes on a shared machine hits both sides alike. Each side is a function returning one
 * sample; it prepares whatever it needs (a fresh cache directory, say) outside the clock.
 */
import type { Sample } from './measure.ts';
import { median, summarize, type Summary } from './stats.ts';

export type Runner = () => Promise<Sample>;

export interface InterleaveOptions {
  runs: number;
  warmup: number;
  /** Called after each timed round (progress on stderr). */
  onRound?: (round: number, a: Sample, b: Sample) => void;
}

export interface SideResult {
  samples: Sample[];
  wallMs: Summary;
  /** null when the RSS method gave nothing. */
  peakRssKb: Summary | null;
  /** User + system CPU time; null when not measured. */
  cpuMs: Summary | null;
}

export interface PairResult {
  a: SideResult;
  b: SideResult;
  /** Median of a ÷ b over the rounds (each round's two runs saw the same load). */
  medianRoundRatio: number;
}

export async function interleave(a: Runner, b: Runner, options: InterleaveOptions): Promise<PairResult> {
  for (let i = 0; i < options.warmup; i++) {
    await a();
    await b();
  }
  const as: Sample[] = [];
  const bs: Sample[] = [];
  for (let round = 0; round < options.runs; round++) {
    const sa = await a();
    const sb = await b();
    as.push(sa);
    bs.push(sb);
    options.onRound?.(round, sa, sb);
  }
  return { a: side(as), b: side(bs), medianRoundRatio: median(as.map((s, i) => s.wallMs / bs[i]!.wallMs)) };
}

function side(samples: Sample[]): SideResult {
  const known = (values: Array<number | null>) => {
    const xs = values.filter((v): v is number => v !== null);
    return xs.length > 0 ? summarize(xs) : null;
  };
  return { samples, wallMs: summarize(samples.map((s) => s.wallMs)), peakRssKb: known(samples.map((s) => s.peakRssKb)), cpuMs: known(samples.map((s) => s.cpuMs)) };
}
