/**
 * Our custom krew index: a git repository whose `plugins/<name>.yaml` are the released manifests,
 * the layout krew expects of any index. Users add it once and install from it:
 *
 *   kubectl krew index add kubectl-plugins https://github.com/kubectl-plugins/krew-index.git
 *   kubectl krew install kubectl-plugins/lsres
 *
 * krew clones the URL on `index add` (`git clone`, so a local path or file:// URL works too) and
 * brings its copy up to date before every `install`, `update` and `upgrade` (`git fetch`, then
 * `reset --hard` to the upstream branch): publishing a version is one commit on `main`, pushed to
 * the index's URL. The release writes that commit; pushing it is left to whoever publishes.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeFileAtomic } from './tasks.ts';

const run = promisify(execFile);

/** The name users give the index in `kubectl krew index add`, as the README tells them. */
export const indexName = 'kubectl-plugins';

/** Where the index is published: the repository the README's `index add` points at. */
export const defaultIndexUrl = 'https://github.com/kubectl-plugins/krew-index.git';

/** The branch krew's clone follows. */
export const indexBranch = 'main';

/** Used for the release commit only when git has no identity configured. */
const fallbackIdentity = ['-c', 'user.name=kubectl-plugins release', '-c', 'user.email=release@kubectl-plugins.invalid'];

export interface IndexManifest {
  plugin: string;
  /** The rendered manifest. */
  text: string;
}

export interface IndexUpdate {
  dir: string;
  /** The commit now at the tip of `main`. */
  head: string;
  /** Whether this release made a new commit (false: the index already held these manifests). */
  committed: boolean;
  files: string[];
}

async function git(dir: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd: dir, maxBuffer: 16 << 20 });
    return stdout.trim();
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error('git is not installed: the krew index is a git repository', { cause: error });
    throw new Error(`git ${args.join(' ')} failed in ${dir}: ${(e.stderr ?? e.message).trim()}`, { cause: error });
  }
}

/** Exit status of a git command that answers by it (0 or 1), e.g. `diff --quiet`. */
async function gitStatus(dir: string, args: readonly string[]): Promise<number> {
  try {
    await run('git', args, { cwd: dir });
    return 0;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'number') return code;
    throw error;
  }
}

/**
 * Writes `manifests` into the index at `dir` (creating the repository on `main` when missing;
 * other plugins' manifests stay) and commits them as "<plugins> v<version>" when anything changed.
 */
export async function writeIndex(dir: string, manifests: readonly IndexManifest[], version: string): Promise<IndexUpdate> {
  await mkdir(join(dir, 'plugins'), { recursive: true });
  if (!existsSync(join(dir, '.git'))) await git(dir, ['init', '--quiet', `--initial-branch=${indexBranch}`]);
  const files = manifests.map((m) => join('plugins', `${m.plugin}.yaml`));
  for (const [i, m] of manifests.entries()) await writeFileAtomic(join(dir, files[i]!), m.text);
  await git(dir, ['add', '--', ...files]);
  // 1: something is staged; 0: the index already holds exactly these manifests.
  const changed = (await gitStatus(dir, ['diff', '--cached', '--quiet'])) === 1;
  if (changed) {
    const identity = (await gitStatus(dir, ['config', 'user.email'])) === 0 ? [] : fallbackIdentity;
    const subject = `${manifests.map((m) => m.plugin).join(', ')} v${version}`;
    await git(dir, [...identity, 'commit', '--quiet', '-m', subject]);
  }
  return { dir, head: await git(dir, ['rev-parse', 'HEAD']), committed: changed, files };
}
