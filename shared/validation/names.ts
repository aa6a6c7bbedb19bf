/**
 * Kubernetes' name and label rules (apimachinery validation), checked before any request so
 * bad input never reaches the server.
 */
const dns1123Label = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainRe = new RegExp(`^${dns1123Label}(\\.${dns1123Label})*$`);
const qualifiedNameRe = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const labelValueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const envNameRe = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** An error message, or undefined when valid. */
export function checkDns1123Subdomain(value: string): string | undefined {
  if (value.length > 253) return 'must be no more than 253 characters';
  if (!dns1123SubdomainRe.test(value)) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

/**
 * A name that goes into a URL path (apimachinery `IsValidPathSegmentName`), for names typed to
 * read an object: not empty, not `.` or `..`, no `/` or `%`.
 */
export function checkPathSegmentName(value: string): string | undefined {
  if (value === '') return 'may not be empty';
  if (value === '.' || value === '..') return `may not be '${value}'`;
  if (/[/%]/.test(value)) return "may not contain '/' or '%'";
  return undefined;
}

export function checkLabelKey(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && checkDns1123Subdomain(prefix)) return `prefix "${prefix}" must be a DNS subdomain`;
  if (name.length === 0 || name.length > 63 || !qualifiedNameRe.test(name)) {
    return "name part must be 63 characters or less, of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
  }
  return undefined;
}

export function checkLabelValue(value: string): string | undefined {
  if (value.length > 63 || !labelValueRe.test(value)) {
    return "must be 63 characters or less, empty or of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
  }
  return undefined;
}

export function checkEnvName(name: string): string | undefined {
  return envNameRe.test(name) ? undefined : "must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
}
