/**
 * The simulated internet: every IP address a simulated sign-in comes from, with what a geo-IP
 * lookup would say about it.
 *
 * Only the RFC 5737 documentation ranges are used, so no generated record ever names a real,
 * routable address:
 *   - 203.0.113.0/24 (TEST-NET-3): the tenant's office egress and employees' home broadband;
 *   - 198.51.100.0/24 (TEST-NET-2): mobile carriers, public Wi-Fi, hotels and airports;
 *   - 192.0.2.0/24 (TEST-NET-1): consumer VPNs, anonymizers and hosting (where attackers live,
 *     but also employees' VPNs, so the range alone proves nothing).
 * Autonomous system numbers come from the RFC 5398 documentation ranges. Large tenants that exhaust
 * a block continue in the IPv6 documentation prefix 2001:db8::/32 (RFC 3849), see `allocateFlexible`.
 */
import type { Place } from './catalog.ts';

export type NetworkKind = 'office' | 'home' | 'mobile' | 'public' | 'hotel' | 'vpn' | 'anonymizer' | 'hosting';

export interface Network {
  ip: string;
  kind: NetworkKind;
  place: Place;
  isp: string;
  asn: number;
}

interface Block {
  prefix: string;
  first: number;
  last: number;
}

/** Where each kind of network is allocated. */
const BLOCKS: Record<NetworkKind, Block> = {
  office: { prefix: '203.0.113', first: 1, last: 31 },
  home: { prefix: '203.0.113', first: 64, last: 223 },
  mobile: { prefix: '198.51.100', first: 1, last: 99 },
  public: { prefix: '198.51.100', first: 100, last: 127 },
  hotel: { prefix: '198.51.100', first: 128, last: 223 },
  vpn: { prefix: '192.0.2', first: 1, last: 63 },
  anonymizer: { prefix: '192.0.2', first: 64, last: 127 },
  hosting: { prefix: '192.0.2', first: 128, last: 223 },
};

/** The third group of IPv6 documentation addresses (2001:db8:<tag>:…), per kind. */
const V6_TAG: Record<NetworkKind, string> = { office: 'a0', home: 'b1', mobile: 'c2', public: 'd3', hotel: 'e4', vpn: 'f5', anonymizer: 'a6', hosting: 'b7' };

/** The documentation ranges, as [prefix, first, last] of their /24. */
export const DOCUMENTATION_RANGES = ['192.0.2.', '198.51.100.', '203.0.113.'] as const;

/** RFC 3849: the IPv6 documentation prefix 2001:db8::/32, used once an IPv4 block is exhausted. */
export const DOCUMENTATION_V6_PREFIX = '2001:db8:';

export function isDocumentationAddress(ip: string): boolean {
  if (ip.toLowerCase().startsWith(DOCUMENTATION_V6_PREFIX)) return /^2001:db8:[0-9a-f]{1,4}(:[0-9a-f]{0,4}){1,5}$/i.test(ip);
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!match) return false;
  const last = Number(match[4]);
  if (last > 255) return false;
  return DOCUMENTATION_RANGES.some((prefix) => ip.startsWith(prefix) && ip.length > prefix.length && ip.slice(prefix.length) === String(last));
}

const DOC_ASNS = [...Array.from({ length: 16 }, (_, i) => 64496 + i), ...Array.from({ length: 16 }, (_, i) => 65536 + i)];

/** Allocates addresses deterministically (in order) and remembers what each one is. */
export class NetworkRegistry {
  private readonly byIp = new Map<string, Network>();
  private readonly cursor = new Map<NetworkKind, number>();
  private readonly asnByIsp = new Map<string, number>();
  private readonly v6Cursor = new Map<NetworkKind, number>();

  allocate(kind: NetworkKind, place: Place, isp: string): Network {
    const block = BLOCKS[kind];
    const next = this.cursor.get(kind) ?? block.first;
    if (next > block.last) throw new RangeError(`no ${kind} addresses left in ${block.prefix}.${block.first}-${block.last}`);
    this.cursor.set(kind, next + 1);
    const network: Network = { ip: `${block.prefix}.${next}`, kind, place, isp, asn: this.asnFor(isp) };
    this.byIp.set(network.ip, network);
    return network;
  }

  /**
   * Like `allocate`, but once the kind's IPv4 block is exhausted continues in the IPv6 documentation
   * prefix (2001:db8:<kind>:<hi>:<lo>::1), so large simulated tenants never run out of addresses.
   */
  allocateFlexible(kind: NetworkKind, place: Place, isp: string): Network {
    const block = BLOCKS[kind];
    if ((this.cursor.get(kind) ?? block.first) <= block.last) return this.allocate(kind, place, isp);
    const count = this.v6Cursor.get(kind) ?? 0;
    this.v6Cursor.set(kind, count + 1);
    const hi = Math.floor(count / 0xfff0) + 1;
    const lo = (count % 0xfff0) + 1;
    const network: Network = {
      ip: `${DOCUMENTATION_V6_PREFIX}${V6_TAG[kind]}:${hi.toString(16)}:${lo.toString(16)}::1`,
      kind,
      place,
      isp,
      asn: this.asnFor(isp),
    };
    this.byIp.set(network.ip, network);
    return network;
  }

  get(ip: string): Network | undefined {
    return this.byIp.get(ip);
  }

  all(): Network[] {
    return [...this.byIp.values()];
  }

  private asnFor(isp: string): number {
    let asn = this.asnByIsp.get(isp);
    if (asn === undefined) {
      asn = DOC_ASNS[this.asnByIsp.size % DOC_ASNS.length] as number;
      this.asnByIsp.set(isp, asn);
    }
    return asn;
  }
}
