/**
 * Where we accept more than kubectl, deliberately, in one place (README "Parity with kubectl"):
 * a resource typed by its Kind in any case and without its group (`AIOps`, `aiops`), as the
 * seed's notes type it. kubectl matches resource names case-insensitively but a Kind only as
 * spelled and, without a group, only in the core group: `kubectl get AIOps` is refused there.
 * Names that are also a plural, singular or short name resolve exactly as in kubectl.
 */
export function supersetReason(name: string, served: ReadonlyArray<{ kind: string; group: string; version: string }>): string | undefined {
  const [first, ...rest] = name.split('.');
  const qualifier = rest.join('.');
  const match = served.some(
    (r) =>
      r.kind.toLowerCase() === first!.toLowerCase() &&
      (qualifier === '' ? r.group !== '' || r.kind !== first : r.kind !== first && (qualifier === r.group || qualifier === `${r.version}.${r.group}`)),
  );
  return match ? 'a Kind in another case or without its group' : undefined;
}
