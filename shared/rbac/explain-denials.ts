/**
 * After the server refused part of the work (403): confirm each refused check with a
 * SelfSubjectAccessReview, find out who we are, and print the commands that grant exactly the
 * missing permissions. Checks are made only when something was refused, so a permitted run
 * costs no extra request.
 */
import type { Streams } from '../cli/streams.ts';
import { escapeControls, terminalValue } from '../cli/terminal-text.ts';
import type { Factory } from '../cli/factory.ts';
import { reviewAccess, type AccessCheck } from './access-review.ts';
import { subjectOf, whoAmI } from './identity.ts';
import { remediationCommands } from './remediation.ts';

export async function explainDenials(factory: Factory, checks: AccessCheck[], roleName: string, streams: Streams): Promise<string[]> {
  if (checks.length === 0) return [];
  const transport = factory.transport();
  const config = factory.restConfig();
  const [results, identity] = await Promise.all([reviewAccess(transport, checks), whoAmI(transport, config.impersonateUser ?? config.userName)]);
  const denied = results.filter((r) => r.outcome === 'denied');
  if (denied.length === 0 || !identity) return [];
  const commands = remediationCommands(denied, subjectOf(identity, config.impersonateGroups), roleName);
  // The user name comes from the server: shown, not obeyed, on the terminal.
  streams.stderr.write(`hint: ${identity.username ? terminalValue(identity.username) : 'this identity'} lacks these permissions; an admin can grant them with:\n`);
  for (const command of commands) streams.stderr.write(`  ${escapeControls(command)}\n`);
  return commands;
}
