/** Two outputs next to each other, line by line, differing lines marked: for failing comparisons. */
export function sideBySide(expected: string, actual: string, labels: [string, string] = ['kubectl', 'ours']): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const width = Math.min(70, Math.max(labels[0].length, ...a.map((l) => l.length)));
  const rows = [`  ${labels[0].padEnd(width)} | ${labels[1]}`];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const left = JSON.stringify(a[i] ?? '').slice(1, -1);
    const right = JSON.stringify(b[i] ?? '').slice(1, -1);
    rows.push(`${a[i] === b[i] ? ' ' : '!'} ${left.padEnd(width)} | ${right}`);
  }
  return `\n${rows.join('\n')}`;
}
