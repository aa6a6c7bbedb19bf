/**
 * A password in a server URL (`https://bob:secret@host`) is never printed: kubectl shows it as
 * `bob:***`, and so do we, in every message that names the server. Only the password is
 * masked; the user name and the rest of the URL stay, so the message still says which server.
 */

/** `scheme://user:password@` anywhere in `text`, with the password shown as `***`. */
const userinfo = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]*):([^\s/?#@]*)@/gi;

/**
 * @param mask what stands for the password: `***` as kubectl shows a server URL; proxy URLs use
 *   `xxxxx`, as Go's url.Redacted prints them (`proxyURL`).
 */
export function redactUrl(text: string, mask = '***'): string {
  return text.replace(userinfo, (_match, scheme: string, user: string) => `${scheme}${user}:${mask}@`);
}

/** A proxy URL as Go's url.Redacted prints it: the password as `xxxxx`. */
export function redactProxyUrl(text: string): string {
  return redactUrl(text, 'xxxxx');
}
