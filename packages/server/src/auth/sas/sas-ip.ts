/** An inclusive IPv4 range from a SAS `sip` field, as 32-bit numbers. */
export interface IpRange {
  start: number;
  end: number;
}

/** An IPv4 dotted quad as a 32-bit number, or null. */
export function ipv4ToNumber(address: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m) return null;
  let out = 0;
  for (const part of m.slice(1)) {
    const n = Number(part);
    if (n > 255) return null;
    out = out * 256 + n;
  }
  return out;
}

/** Parses `sip`: one IPv4 address or `start-end` (start ≤ end); null when malformed. */
export function parseIpRange(sip: string): IpRange | null {
  const dash = sip.indexOf("-");
  const start = ipv4ToNumber(dash < 0 ? sip : sip.slice(0, dash));
  const end = dash < 0 ? start : ipv4ToNumber(sip.slice(dash + 1));
  if (start === null || end === null || start > end) return null;
  return { start, end };
}

/** The client's address as the SAS sees it: IPv4-mapped IPv6 addresses become plain IPv4. */
export function normaliseClientIp(remoteAddress: string | undefined): string {
  const address = remoteAddress ?? "";
  return address.toLowerCase().startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/** Whether a client address lies in the range (IPv6 clients never do: `sip` is IPv4 only). */
export function ipInRange(clientIp: string, range: IpRange): boolean {
  const n = ipv4ToNumber(clientIp);
  return n !== null && n >= range.start && n <= range.end;
}
