/**
 * Policy versions (XACML 3.0 §5.11, §5.13): numeric dotted versions, and the match patterns of
 * Version / EarliestVersion / LatestVersion in references ("*" one component, "+" the rest).
 */

export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function matchesPattern(version: string, pattern: string): boolean {
  const parts = pattern.split('.');
  const re = parts.map((p, i) => (p === '*' ? '\\d+' : p === '+' && i === parts.length - 1 ? '\\d+(?:\\.\\d+)*' : p)).join('\\.');
  return new RegExp(`^${re}$`).test(version);
}

/** Compares a version with a bound pattern, wildcards read as 0 (earliest) or unbounded (latest). */
function boundCompare(version: string, pattern: string, wildcard: number): number {
  const v = version.split('.').map(Number);
  const p = pattern.split('.');
  for (let i = 0; i < Math.max(v.length, p.length); i++) {
    const pi = p[i];
    if (pi === '+') return wildcard === 0 ? 0 : -1;
    const bound = pi === undefined ? 0 : pi === '*' ? wildcard : Number(pi);
    const d = (v[i] ?? 0) - bound;
    if (d !== 0) return d;
  }
  return 0;
}

export function versionSatisfies(version: string, c: { version?: string; earliestVersion?: string; latestVersion?: string }): boolean {
  if (c.version !== undefined && !matchesPattern(version, c.version)) return false;
  if (c.earliestVersion !== undefined && boundCompare(version, c.earliestVersion, 0) < 0) return false;
  if (c.latestVersion !== undefined && boundCompare(version, c.latestVersion, Infinity) > 0) return false;
  return true;
}
