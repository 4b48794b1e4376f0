/**
 * Which outbound endpoints the platform may call (SSRF protection).
 *
 * By default only public unicast addresses are allowed: loopback, link-local (and so the cloud
 * metadata address 169.254.169.254), private, carrier-grade NAT, unique-local, unspecified,
 * multicast, reserved and the IPv6 transition ranges that embed IPv4 addresses are refused.
 * The decision is made on the RESOLVED address: `checkEndpointAllowed` for registration-time
 * checks, and `safe-fetch.ts` uses the same verdicts inside the DNS lookup of the actual
 * connection, so a name cannot resolve to one address when checked and another when used.
 * An explicit allow-list (host names, addresses, CIDRs) opens what an installation needs.
 */
import { promises as dns } from 'node:dns';
import ipaddr from 'ipaddr.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to every address it has (tests inject a fake one). */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface OutboundPolicyConfig {
  /**
   * Always allowed, even in a refused range: IP addresses (`127.0.0.1`, `::1`), CIDRs
   * (`10.1.0.0/16`), host names (`localhost`, `pdp.internal`) or host-name suffixes
   * (`*.svc.cluster.local`). An allowed host name is trusted whatever it resolves to.
   */
  readonly allow?: readonly string[];
  /** Always refused, even when public: addresses, CIDRs, host names, `*.` suffixes. */
  readonly deny?: readonly string[];
  /** Allow public unicast addresses that are not on the allow-list (default true). */
  readonly allowPublic?: boolean;
  /** Accepted URL schemes (default http: and https:). */
  readonly protocols?: readonly ('http:' | 'https:')[];
  /** Host name resolution; default the system resolver (all addresses). */
  readonly resolve?: HostResolver;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

interface HostRules {
  readonly cidrs: readonly Cidr[];
  readonly names: ReadonlySet<string>;
  readonly suffixes: readonly string[];
}

/** A validated, immutable policy. Build it once with `createOutboundPolicy`. */
export interface OutboundPolicy {
  readonly allowPublic: boolean;
  readonly protocols: readonly string[];
  readonly resolve: HostResolver;
  /** @internal parsed rules */
  readonly allowRules: HostRules;
  /** @internal parsed rules */
  readonly denyRules: HostRules;
  /** The configuration it was built from (for display). */
  readonly config: Readonly<OutboundPolicyConfig>;
}

export type EndpointRefusalCode = 'invalid-url' | 'scheme' | 'host-denied' | 'address-refused' | 'unresolvable';

export type EndpointCheck =
  | { readonly ok: true; readonly host: string; readonly addresses: readonly string[] }
  | { readonly ok: false; readonly code: EndpointRefusalCode; readonly reason: string };

export type AddressVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** A configuration entry that is neither an address, a CIDR nor a host name. */
export class OutboundPolicyConfigError extends Error {
  override readonly name = 'OutboundPolicyConfigError';
}

const HOSTNAME = /^(\*\.)?[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$/;

function parseRules(entries: readonly string[], what: string): HostRules {
  const cidrs: Cidr[] = [];
  const names = new Set<string>();
  const suffixes: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    const bare = entry.startsWith('[') && entry.endsWith(']') ? entry.slice(1, -1) : entry;
    if (bare.includes('/')) {
      try {
        cidrs.push(ipaddr.parseCIDR(bare));
      } catch {
        throw new OutboundPolicyConfigError(`${what} entry "${raw}" is not a valid CIDR`);
      }
    } else if (ipaddr.isValid(bare) && (ipaddr.IPv6.isValid(bare) || ipaddr.IPv4.isValidFourPartDecimal(bare))) {
      const addr = ipaddr.parse(bare);
      cidrs.push([addr, addr.kind() === 'ipv4' ? 32 : 128]);
    } else if (HOSTNAME.test(bare)) {
      if (bare.startsWith('*.')) suffixes.push(bare.slice(1).replace(/\.$/, ''));
      else names.add(bare.replace(/\.$/, ''));
    } else {
      throw new OutboundPolicyConfigError(`${what} entry "${raw}" is not an IP address, CIDR or host name`);
    }
  }
  return { cidrs, names, suffixes };
}

const systemResolver: HostResolver = async (hostname) => {
  const found = await dns.lookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Builds a policy; throws OutboundPolicyConfigError on an entry it cannot read. */
export function createOutboundPolicy(config: OutboundPolicyConfig = {}): OutboundPolicy {
  return Object.freeze({
    allowPublic: config.allowPublic ?? true,
    protocols: Object.freeze([...(config.protocols ?? ['http:', 'https:'])]),
    resolve: config.resolve ?? systemResolver,
    allowRules: parseRules(config.allow ?? [], 'allow-list'),
    denyRules: parseRules(config.deny ?? [], 'deny-list'),
    config: Object.freeze({ ...config }),
  });
}

/** Reads a comma- or whitespace-separated list (an environment variable) into entries. */
export function parseHostList(text: string | undefined): string[] {
  return (text ?? '').split(/[\s,]+/).filter((s) => s !== '');
}

function hostMatches(rules: HostRules, host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return rules.names.has(h) || rules.suffixes.some((s) => h.endsWith(s));
}

function cidrMatches(rules: HostRules, addr: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return rules.cidrs.some(([net, bits]) => {
    if (net.kind() === addr.kind()) return addr.kind() === 'ipv4' ? (addr as ipaddr.IPv4).match(net as ipaddr.IPv4, bits) : (addr as ipaddr.IPv6).match(net as ipaddr.IPv6, bits);
    // An IPv4 rule also covers the same address written IPv4-mapped, and the reverse.
    if (net.kind() === 'ipv4' && addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
      return (addr as ipaddr.IPv6).toIPv4Address().match(net as ipaddr.IPv4, bits);
    }
    return false;
  });
}

/** Is a connection to this IP address allowed? (The address must be an IP literal.) */
export function checkAddress(address: string, policy: OutboundPolicy): AddressVerdict {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(bare)) return { ok: false, reason: `"${address}" is not an IP address` };
  let addr: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(bare);
  if (cidrMatches(policy.denyRules, addr)) return { ok: false, reason: `address ${bare} is on the deny-list` };
  if (cidrMatches(policy.allowRules, addr)) return { ok: true };
  // An IPv4-mapped IPv6 address reaches the IPv4 host: judge it as that host.
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
  const range = addr.range();
  if (range !== 'unicast') return { ok: false, reason: `address ${bare} is in a refused range (${range})` };
  if (!policy.allowPublic) return { ok: false, reason: `address ${bare} is not on the allow-list` };
  return { ok: true };
}

/** Host name rules alone: 'allow' (trusted whatever it resolves to), 'deny', or 'check' the addresses. */
export function hostRule(host: string, policy: OutboundPolicy): 'allow' | 'deny' | 'check' {
  if (hostMatches(policy.denyRules, host)) return 'deny';
  if (hostMatches(policy.allowRules, host)) return 'allow';
  return 'check';
}

/** URL.hostname keeps the brackets of an IPv6 literal; this removes them. */
export function bareHost(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** Verdict on a URL's scheme and form only (no DNS). */
export function checkUrlShape(url: string, policy: OutboundPolicy): { ok: true; url: URL } | { ok: false; code: EndpointRefusalCode; reason: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, code: 'invalid-url', reason: `"${url}" is not an absolute URL` };
  }
  if (!policy.protocols.includes(u.protocol)) return { ok: false, code: 'scheme', reason: `scheme ${u.protocol} is not allowed` };
  if (u.username !== '' || u.password !== '') return { ok: false, code: 'invalid-url', reason: 'credentials in the URL are not allowed' };
  if (u.hostname === '') return { ok: false, code: 'invalid-url', reason: 'the URL has no host' };
  return { ok: true, url: u };
}

/** Resolves a host and judges every address it resolves to (all must be allowed). */
export async function checkHost(hostname: string, policy: OutboundPolicy): Promise<EndpointCheck> {
  const host = bareHost(hostname);
  if (ipaddr.isValid(host)) {
    const v = checkAddress(host, policy);
    return v.ok ? { ok: true, host, addresses: [host] } : { ok: false, code: 'address-refused', reason: v.reason };
  }
  const rule = hostRule(host, policy);
  if (rule === 'deny') return { ok: false, code: 'host-denied', reason: `host ${host} is on the deny-list` };
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await policy.resolve(host);
  } catch (e) {
    return { ok: false, code: 'unresolvable', reason: `host ${host} does not resolve (${(e as { code?: string }).code ?? (e as Error).message})` };
  }
  if (addresses.length === 0) return { ok: false, code: 'unresolvable', reason: `host ${host} has no address` };
  if (rule === 'check') {
    for (const a of addresses) {
      const v = checkAddress(a.address, policy);
      if (!v.ok) return { ok: false, code: 'address-refused', reason: `host ${host} resolves to a refused address: ${v.reason}` };
    }
  }
  return { ok: true, host, addresses: addresses.map((a) => a.address) };
}

/**
 * May the platform call this endpoint? Used when a service registers (refuse the
 * registration) and before every outbound call (safe-fetch re-checks at connection time).
 */
export async function checkEndpointAllowed(url: string, policy: OutboundPolicy): Promise<EndpointCheck> {
  const shape = checkUrlShape(url, policy);
  if (!shape.ok) return shape;
  return checkHost(shape.url.hostname, policy);
}
