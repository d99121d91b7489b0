import ipaddr from 'ipaddr.js';

/**
 * The throttling key of a client address: IPv4 as is, IPv6 by its /64 (one subscriber usually
 * holds a whole /64), IPv4-mapped IPv6 as IPv4. The address itself comes from Express's req.ip,
 * which honours X-Forwarded-For only for proxies trusted by configuration (TRUST_PROXY).
 */
export function clientKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  try {
    let addr = ipaddr.parse(ip);
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
      addr = (addr as ipaddr.IPv6).toIPv4Address();
    }
    if (addr.kind() === 'ipv4') return addr.toString();
    const parts = (addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
    return `${parts.join(':')}::/64`;
  } catch {
    return 'unknown';
  }
}
