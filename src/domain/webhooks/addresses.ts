/*
 * Which addresses a webhook may be sent to (issue 17). A webhook makes the server send requests where
 * an admin says; without this, it could be turned against its own network (SSRF): the database, the
 * cloud's metadata service, an admin console on loopback. Only public unicast addresses are allowed —
 * unless the operator sets WEBHOOKS_ALLOW_PRIVATE=true (a receiver on the same network, the tests').
 * Pure: the caller resolves names, and checks every address a name resolves to at each delivery.
 */

export type AddressRefusal =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'unique_local'
  | 'shared_cgnat'
  | 'multicast'
  | 'reserved'
  | 'documentation'
  | 'not_an_address';

/** Parses dotted IPv4 (four decimal parts, no leading zeros tricks beyond plain decimal) to 32 bits. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

/** Parses IPv6 text (with `::` and an optional embedded IPv4 tail, no zone) to eight 16-bit groups. */
export function parseIpv6(text: string): number[] | undefined {
  let input = text;
  if (input.startsWith('[') && input.endsWith(']')) input = input.slice(1, -1);
  const lastColon = input.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  const last = input.slice(lastColon + 1);
  if (last.includes('.')) {
    // An IPv4 tail (`::ffff:127.0.0.1`) is two groups written another way.
    const v4 = parseIpv4(last);
    if (v4 === undefined) return undefined;
    input = `${input.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = input.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return groups.map((g) => parseInt(g, 16));
  };
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  if (head.length + tail.length > 7) return undefined;
  return [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

const inV4 = (value: number, base: string, bits: number): boolean => {
  const start = parseIpv4(base) ?? 0;
  const size = 2 ** (32 - bits);
  return value >= start && value < start + size;
};

/** Why an IPv4 address is not a public unicast one, or null when it is. */
export function ipv4Refusal(value: number): AddressRefusal | null {
  if (inV4(value, '0.0.0.0', 8)) return 'unspecified';
  if (inV4(value, '127.0.0.0', 8)) return 'loopback';
  if (inV4(value, '10.0.0.0', 8) || inV4(value, '172.16.0.0', 12) || inV4(value, '192.168.0.0', 16)) {
    return 'private';
  }
  // 169.254.169.254 — the cloud metadata service — is in here.
  if (inV4(value, '169.254.0.0', 16)) return 'link_local';
  if (inV4(value, '100.64.0.0', 10)) return 'shared_cgnat';
  if (inV4(value, '224.0.0.0', 4)) return 'multicast';
  if (inV4(value, '192.0.2.0', 24) || inV4(value, '198.51.100.0', 24) || inV4(value, '203.0.113.0', 24)) {
    return 'documentation';
  }
  if (
    inV4(value, '240.0.0.0', 4) || // reserved, and 255.255.255.255
    inV4(value, '192.0.0.0', 24) || // IETF protocol assignments
    inV4(value, '198.18.0.0', 15) // benchmarking
  ) {
    return 'reserved';
  }
  return null;
}

/** Why an IPv6 address is not a public unicast one, or null when it is. */
export function ipv6Refusal(groups: readonly number[]): AddressRefusal | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const embeddedV4 = g6 * 65536 + g7;
  if (groups.every((g) => g === 0)) return 'unspecified';
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 && g6 === 0 && g7 === 1) {
    return 'loopback';
  }
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d): the IPv4 address decides.
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && (g5 === 0xffff || g5 === 0)) {
    return ipv4Refusal(embeddedV4);
  }
  // NAT64 (64:ff9b::/96) reaches the IPv4 address it embeds.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return ipv4Refusal(embeddedV4);
  }
  // 6to4 (2002::/16) embeds an IPv4 address in its second and third groups.
  if (g0 === 0x2002) return ipv4Refusal(g1 * 65536 + g2);
  if ((g0 & 0xffc0) === 0xfe80) return 'link_local';
  if ((g0 & 0xfe00) === 0xfc00) return 'unique_local'; // fd00:ec2::254, AWS's metadata, is in here
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  if (g0 === 0x2001 && g1 === 0x0db8) return 'documentation';
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return 'reserved'; // discard-only
  if (g0 === 0x2001 && g1 < 0x0200) return 'reserved'; // IETF protocol assignments (Teredo etc.)
  // Anything outside global unicast (2000::/3) is not a public address.
  if ((g0 & 0xe000) !== 0x2000) return 'reserved';
  return null;
}

/** Why an address (IPv4 or IPv6 text, brackets allowed) may not receive webhooks, or null. */
export function addressRefusal(address: string): AddressRefusal | null {
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return ipv4Refusal(v4);
  const v6 = parseIpv6(address);
  if (v6 !== undefined) return ipv6Refusal(v6);
  return 'not_an_address';
}

/** Whether a URL's host is an address literal rather than a name (IPv6 comes bracketed). */
export function isAddressLiteral(host: string): boolean {
  return parseIpv4(host) !== undefined || (host.startsWith('[') && parseIpv6(host) !== undefined);
}

export type WebhookUrlProblem =
  | { code: 'WEBHOOK_URL_INVALID'; message: string }
  | { code: 'WEBHOOK_URL_NOT_HTTPS'; message: string }
  | { code: 'WEBHOOK_URL_PRIVATE'; message: string; refusal: AddressRefusal };

/** Names that always mean this machine or its network, whatever DNS says. */
const LOCAL_NAMES = /(^|\.)(localhost|localdomain|local|internal|home\.arpa)$/i;

/**
 * What is wrong with a URL to send webhooks to, before any name is resolved: the scheme, credentials,
 * and an address literal or a local name. A name's addresses are checked when it is resolved.
 */
export function webhookUrlProblem(raw: string, allowPrivate: boolean): WebhookUrlProblem | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { code: 'WEBHOOK_URL_INVALID', message: 'not a URL' };
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    return { code: 'WEBHOOK_URL_NOT_HTTPS', message: 'a webhook URL must start with https://' };
  }
  if (url.username !== '' || url.password !== '') {
    return { code: 'WEBHOOK_URL_INVALID', message: 'a webhook URL must not carry a user name or password' };
  }
  if (url.hash !== '') return { code: 'WEBHOOK_URL_INVALID', message: 'a webhook URL has no #fragment' };
  if (allowPrivate) return null;
  // `localhost.` is `localhost`: a trailing dot only makes a name absolute.
  const host = url.hostname.replace(/\.$/, '');
  if (isAddressLiteral(host)) {
    const refusal = addressRefusal(host);
    if (refusal) {
      return {
        code: 'WEBHOOK_URL_PRIVATE',
        message: `webhooks are not sent to ${refusal.replace('_', ' ')} addresses`,
        refusal,
      };
    }
    return null;
  }
  if (LOCAL_NAMES.test(host) || !host.includes('.')) {
    return {
      code: 'WEBHOOK_URL_PRIVATE',
      message: 'webhooks are not sent to names of this machine or its local network',
      refusal: 'loopback',
    };
  }
  return null;
}
