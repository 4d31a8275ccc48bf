import { BlockList, isIP } from 'node:net';

/** Does a rule's interface spec match the interface the route uses? "eth+" (iptables) and "eth*" (nft) are prefixes. */
export function interfaceCovers(spec: string, iface: string): boolean {
  const wild = /^(.*)[+*]$/.exec(spec);
  return wild ? iface.startsWith(wild[1]) : spec === iface;
}

/**
 * Does a rule's address spec cover this server address? Specs come as "192.0.2.1", "192.0.2.0/24",
 * "10.0.0.1-10.0.0.9" (Windows) or names/keywords. What cannot be read counts as covering: a rule
 * is never dismissed on a guess.
 */
export function addressCovers(spec: string, address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const s = spec.trim();
  const list = new BlockList();
  try {
    const cidr = /^([0-9a-f.:]+)\/(\d{1,3})$/i.exec(s);
    const range = /^([0-9a-f.:]+)\s*-\s*([0-9a-f.:]+)$/i.exec(s);
    if (cidr && isIP(cidr[1]) === family) list.addSubnet(cidr[1], Number(cidr[2]), type);
    else if (range && isIP(range[1]) === family && isIP(range[2]) === family) list.addRange(range[1], range[2], type);
    else if (isIP(s) === family) list.addAddress(s, type);
    else if (isIP(s) !== 0 || (cidr && isIP(cidr[1]) !== 0)) return false; // the other address family
    else return true;
  } catch {
    return true;
  }
  return list.check(address, type);
}
