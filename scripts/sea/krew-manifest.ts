/**
 * Krew manifests: krew/<name>.yaml templates filled in by the release with the version, each
 * archive's download URL and its lowercase sha256, then checked against krew's rules that its
 * validator does not cover (shortDescription length, 80 columns, every file the archive holds).
 *
 * Placeholders: {{version}} (no leading v), {{uri OS_ARCH}}, {{sha256 OS_ARCH}}.
 */
import { parse } from 'yaml';
import { binaryName, shimName, targetName, targets, type Target } from './targets.ts';

export const defaultBaseUrl = (version: string): string =>
  `https://github.com/kubectl-plugins/kubectl-plugins/releases/download/v${version}`;

/** RELEASE_BASE_URL (without a trailing slash), else the GitHub release of `version`. */
export const releaseBaseUrl = (version: string): string =>
  (process.env['RELEASE_BASE_URL'] ?? defaultBaseUrl(version)).replace(/\/+$/, '');

export interface ReleasedArchive {
  target: Target;
  fileName: string;
  sha256: string;
}

export interface RenderValues {
  version: string;
  baseUrl: string;
  archives: readonly ReleasedArchive[];
}

export function renderManifest(template: string, values: RenderValues): string {
  const byTarget = new Map(values.archives.map((a) => [targetName(a.target), a]));
  const archive = (name: string): ReleasedArchive => {
    const a = byTarget.get(name);
    if (a === undefined) throw new Error(`the template names target ${name}, but no archive was built for it`);
    return a;
  };
  // The template's leading comment is about the template: the manifest does not carry it.
  const body = template.replace(/^(?:#.*\n)+/, '');
  return body.replace(/\{\{\s*(\w+)(?:\s+(\w+))?\s*\}\}/g, (match, key: string, arg: string | undefined) => {
    if (key === 'version' && arg === undefined) return values.version;
    if (key === 'uri' && arg !== undefined) return `${values.baseUrl}/${archive(arg).fileName}`;
    if (key === 'sha256' && arg !== undefined) return archive(arg).sha256.toLowerCase();
    throw new Error(`unknown placeholder ${match}`);
  });
}

interface PlatformSpec {
  selector?: { matchLabels?: Record<string, string> };
  uri?: string;
  sha256?: string;
  files?: { from: string; to: string }[];
  bin?: string;
}

interface PluginManifest {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: {
    version?: string;
    homepage?: string;
    shortDescription?: string;
    description?: string;
    caveats?: string;
    platforms?: PlatformSpec[];
  };
}

/**
 * Problems in a manifest (rendered, or a template: placeholders are then not checked), beyond
 * what validate-krew-manifest checks. Empty when fine.
 */
export function checkManifest(plugin: string, text: string, options: { rendered: boolean }): string[] {
  const problems: string[] = [];
  let m: PluginManifest;
  try {
    m = parse(text) as PluginManifest;
  } catch (error) {
    return [`not YAML: ${(error as Error).message}`];
  }
  if (m.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2') problems.push(`apiVersion ${m.apiVersion}`);
  if (m.kind !== 'Plugin') problems.push(`kind ${m.kind}`);
  if (m.metadata?.name !== plugin) problems.push(`metadata.name ${m.metadata?.name}, expected ${plugin}`);
  const spec = m.spec ?? {};
  const short = spec.shortDescription ?? '';
  if (short.length === 0 || short.length > 50) problems.push(`shortDescription has ${short.length} characters (1 to 50)`);
  if (!/^https:\/\//.test(spec.homepage ?? '')) problems.push('homepage must be an https URL');
  for (const [field, value] of [['description', spec.description], ['caveats', spec.caveats]] as const) {
    if (value === undefined || value.trim() === '') {
      problems.push(`${field} is empty`);
      continue;
    }
    value.split('\n').forEach((line, i) => {
      if (line.length > 80) problems.push(`${field} line ${i + 1} has ${line.length} columns (80 at most)`);
    });
  }
  if (!(spec.caveats ?? '').includes(`kubectl ${plugin} completion --install-kubectl-shim`)) {
    problems.push(`caveats must tell how to install completion: kubectl ${plugin} completion --install-kubectl-shim`);
  }
  if (options.rendered && !/^v\d+\.\d+\.\d+/.test(spec.version ?? '')) problems.push(`version ${spec.version}`);

  const platforms = spec.platforms ?? [];
  const wanted = new Set(targets.map(targetName));
  for (const p of platforms) {
    const labels = p.selector?.matchLabels ?? {};
    const t = targets.find((x) => x.os === labels['os'] && x.arch === labels['arch']);
    if (t === undefined) {
      problems.push(`platform selector ${JSON.stringify(labels)} is not one of our targets`);
      continue;
    }
    const name = targetName(t);
    if (!wanted.delete(name)) problems.push(`platform ${name} appears twice`);
    const expectFiles = [binaryName(plugin, t), 'LICENSE', shimName(plugin, t)];
    const from = (p.files ?? []).map((f) => f.from);
    if (JSON.stringify([...from].sort()) !== JSON.stringify([...expectFiles].sort())) {
      problems.push(`platform ${name} files are [${from.join(', ')}], expected [${expectFiles.join(', ')}]`);
    }
    if ((p.files ?? []).some((f) => f.to !== '.')) problems.push(`platform ${name} files must go to "."`);
    if (p.bin !== binaryName(plugin, t)) problems.push(`platform ${name} bin ${p.bin}, expected ${binaryName(plugin, t)}`);
    if (options.rendered) {
      if (!/^[0-9a-f]{64}$/.test(p.sha256 ?? '')) problems.push(`platform ${name} sha256 is not 64 lowercase hex digits`);
      if (!/^https?:\/\/\S+$/.test(p.uri ?? '')) problems.push(`platform ${name} uri ${p.uri}`);
    }
  }
  for (const missing of wanted) problems.push(`no platform for ${missing}`);
  return problems;
}
