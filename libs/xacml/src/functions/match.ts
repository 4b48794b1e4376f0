/**
 * Special match functions (A.3.14): x500Name-match (the first name equals a terminal
 * sequence of RDNs of the second, i.e. the second lies under the first in the directory tree)
 * and rfc822Name-match (a mailbox, a host, or a `.domain` suffix pattern against a name).
 */
import { DT } from '../model/identifiers';
import type { AttributeValue } from '../model/values';
import { booleanValue } from '../datatypes/registry';
import type { Rfc822NameValue, X500NameValue } from '../datatypes/names';
import type { EagerFunctionDef } from './function-def';
import { F1 } from './ids';
import { defineEager, value } from './signature';

/** True when `suffix`'s RDNs equal the last RDNs of `name` (RFC 4514 order: leaf first). */
export function x500NameMatch(suffix: X500NameValue, name: X500NameValue): boolean {
  const offset = name.rdnKeys.length - suffix.rdnKeys.length;
  if (offset < 0) return false;
  for (let i = 0; i < suffix.rdnKeys.length; i++) {
    if (suffix.rdnKeys[i] !== name.rdnKeys[offset + i]) return false;
  }
  return true;
}

/**
 * rfc822Name-match(pattern, name):
 * - `local@domain`: that mailbox (local part exact, domain case-insensitive);
 * - `.domain`: any mailbox in a sub-domain of domain (not the domain itself);
 * - `domain`: any mailbox at exactly that host.
 */
export function rfc822NameMatch(pattern: string, name: Rfc822NameValue): boolean {
  const at = pattern.lastIndexOf('@');
  if (at >= 0) {
    return pattern.slice(0, at) === name.local && pattern.slice(at + 1).toLowerCase() === name.domainLower;
  }
  const p = pattern.toLowerCase();
  if (p.startsWith('.')) return name.domainLower.endsWith(p) && name.domainLower.length > p.length;
  return name.domainLower === p;
}

export const MATCH_FUNCTIONS: readonly EagerFunctionDef[] = [
  defineEager(`${F1}x500Name-match`, { params: [value(DT.x500Name), value(DT.x500Name)], returns: value(DT.boolean) }, (args) =>
    booleanValue(x500NameMatch((args[0] as AttributeValue<X500NameValue>).value, (args[1] as AttributeValue<X500NameValue>).value)),
  ),
  defineEager(`${F1}rfc822Name-match`, { params: [value(DT.string), value(DT.rfc822Name)], returns: value(DT.boolean) }, (args) =>
    booleanValue(rfc822NameMatch((args[0] as AttributeValue<string>).value, (args[1] as AttributeValue<Rfc822NameValue>).value)),
  ),
];
