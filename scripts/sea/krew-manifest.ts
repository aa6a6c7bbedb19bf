/**
 * Krew manifests: krew/<name>.yaml templates filled in by the release with the version, each
 * archive's download URL and its lowercase sha256, then checked against krew's rules that its
 * validator does not cover (krew-index's review guidelines: shortDescription length, a
 * description wrapped at 80 columns without usage examples, caveats only for what must be done
 * after installing, every file the archive holds).
 *
 * Placeholders: {{version}} (no leading v), {{uri OS_ARCH}}, {{sha256 OS_ARCH}}.
 */
import { isMap, isSeq, parse, parseDocument } from 'yaml';
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
  /**
   * Keep only the platforms that have an archive (a release of some targets, for tests);
   * otherwise a platform without one is an error.
   */
  builtOnly?: boolean;
}

export function renderManifest(template: string, values: RenderValues): string {
  const byTarget = new Map(values.archives.map((a) => [targetName(a.target), a]));
  const archive = (name: string): ReleasedArchive => {
    const a = byTarget.get(name);
    if (a === undefined) throw new Error(`the template names target ${name}, but no archive was built for it`);
    return a;
  };
  // The template's leading comment is about the template: the manifest does not carry it.
  let body = template.replace(/^(?:#.*\n)+/, '');
  if (values.builtOnly === true) body = dropPlatforms(body, (os, arch) => byTarget.has(`${os}_${arch}`));
  return body.replace(/\{\{\s*(\w+)(?:\s+(\w+))?\s*\}\}/g, (match, key: string, arg: string | undefined) => {
    if (key === 'version' && arg === undefined) return values.version;
    if (key === 'uri' && arg !== undefined) return `${values.baseUrl}/${archive(arg).fileName}`;
    if (key === 'sha256' && arg !== undefined) return archive(arg).sha256.toLowerCase();
    throw new Error(`unknown placeholder ${match}`);
  });
}

/** The template without the platforms `keep` refuses (by their selector's os and arch). */
function dropPlatforms(template: string, keep: (os: string, arch: string) => boolean): string {
  const doc = parseDocument(template);
  const platforms = doc.getIn(['spec', 'platforms']);
  if (!isSeq(platforms)) throw new Error('the template has no spec.platforms list');
  platforms.items = platforms.items.filter((item) => {
    if (!isMap(item)) return true;
    const os = item.getIn(['selector', 'matchLabels', 'os']);
    const arch = item.getIn(['selector', 'matchLabels', 'arch']);
    return keep(String(os), String(arch));
  });
  if (platforms.items.length === 0) throw new Error('no platform of the template has an archive');
  return doc.toString({ lineWidth: 0 });
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

export interface CheckOptions {
  /** A rendered manifest (else a template: placeholders are not checked). */
  rendered: boolean;
  /** The platforms it must have, exactly (default: every release target). */
  targets?: readonly Target[];
  /** Tests serve archives from a loopback HTTP server: allow http://127.0.0.1, localhost, [::1]. */
  allowLoopbackHttp?: boolean;
}

/**
 * Why `uri` cannot be where a release's archives are downloaded from, or undefined when it can.
 * krew checks each download's sha256, but the manifest is the only thing naming the file: a real
 * release refuses anything but https. Only tests may use plain http, and only on loopback.
 */
export function downloadUrlProblem(uri: string, allowLoopbackHttp = false): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `${uri} is not a URL`;
  }
  if (url.username !== '' || url.password !== '') return `${url.protocol}//…@${url.host}: no credentials in a download URL`;
  if (url.protocol === 'https:') return undefined;
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && loopback && allowLoopbackHttp) return undefined;
  return `${uri} is not https${url.protocol === 'http:' && loopback ? ' (plain http on loopback is for tests only)' : ''}`;
}

/** The one command a user must run after installing (krew cannot install the shim itself). */
export const shimCommand = (plugin: string): string => `kubectl ${plugin} completion --install-kubectl-shim`;

/** How the caveats tell to remove the shim, which `krew uninstall` leaves behind. */
export const shimRemoval = (plugin: string): string => `rm "\${KREW_ROOT:-$HOME/.krew}/bin/kubectl_complete-${plugin}"`;

/**
 * Lines of a description that read as usage: an indented (code) line, a shell prompt, or a
 * command line of the plugin itself. krew-index asks descriptions to say what a plugin does and
 * leave usage to the plugin's help and homepage.
 */
export function usageLines(plugin: string, description: string): string[] {
  const command = new RegExp(`\\bkubectl[ -]${plugin}\\b`);
  return description.split('\n').filter((line) => /^\s+\S/.test(line) || /^\s*[$#] /.test(line) || /`/.test(line) || command.test(line));
}

/**
 * Problems in a manifest (rendered, or a template), beyond what validate-krew-manifest checks.
 * Empty when fine.
 */
export function checkManifest(plugin: string, text: string, options: CheckOptions): string[] {
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
  for (const line of usageLines(plugin, spec.description ?? '')) problems.push(`description has a usage example: "${line.trim()}"`);
  const caveats = spec.caveats ?? '';
  if (!caveats.includes(shimCommand(plugin))) problems.push(`caveats must tell how to install completion: ${shimCommand(plugin)}`);
  // Caveats are for what a user must do after installing: the shim, nothing else.
  const commands = caveats.split('\n').filter((line) => /^\s+\S/.test(line)).map((line) => line.trim());
  for (const c of commands) {
    if (c !== shimCommand(plugin) && c !== shimRemoval(plugin)) problems.push(`caveats run something other than the completion shim: "${c}"`);
  }
  if (options.rendered && !/^v\d+\.\d+\.\d+/.test(spec.version ?? '')) problems.push(`version ${spec.version}`);

  const platforms = spec.platforms ?? [];
  const wanted = new Set((options.targets ?? targets).map(targetName));
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
      const uriProblem = downloadUrlProblem(p.uri ?? '', options.allowLoopbackHttp);
      if (uriProblem !== undefined) problems.push(`platform ${name} uri: ${uriProblem}`);
    }
  }
  for (const missing of wanted) problems.push(`no platform for ${missing}`);
  return problems;
}
