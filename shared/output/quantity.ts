/**
 * Enough of apimachinery's resource.ParseQuantity for kubectl's --sort-by, which compares two
 * strings as quantities when both parse (`100m` < `1`, `512Mi` < `1Gi`, `9` < `10`): a signed
 * decimal with an SI (`m`, `k`, `M`…), binary (`Ki`, `Mi`…) or exponent (`e3`) suffix. The value
 * is a float64, exact enough to order the quantities objects carry.
 */
const decimal: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binary: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

export function parseQuantity(text: string): number | undefined {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(text);
  if (!m || text === '') return undefined;
  const [, sign, whole, fraction, suffix] = m as unknown as [string, string, string, string | undefined, string];
  const mantissa = Number(`${whole || '0'}.${fraction ?? ''}0`);
  let value: number;
  if (suffix in decimal) value = mantissa * 10 ** decimal[suffix]!;
  else if (suffix in binary) value = mantissa * 2 ** binary[suffix]!;
  else if (/^[eE][+-]?[0-9]+$/.test(suffix)) value = mantissa * 10 ** Number(suffix.slice(1));
  else return undefined;
  return sign === '-' ? -value : value;
}
