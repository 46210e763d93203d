/**
 * Listing helpers shared by the SQL backends: index range bounds for a prefix, the opaque
 * list-shares marker, and turning `limit + 1` fetched rows into a page. Both backends compare
 * names by code point (SQLite BINARY on UTF-8, PostgreSQL COLLATE "C" on UTF-8).
 */
import type { ListPage } from "../records.js";

const MAX_CODE_POINT = 0x10ffff;

/**
 * The smallest string greater than every string that starts with `prefix`, in code point order, or
 * null when there is none (an empty prefix, or one made only of U+10FFFF: then `>= prefix` alone
 * already selects exactly the strings with that prefix). `name >= prefix AND name < successor`
 * selects exactly the names starting with `prefix`, as an index range.
 */
export function prefixSuccessor(prefix: string): string | null {
  const points = Array.from(prefix, (ch) => ch.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = points.pop() ?? 0;
    if (last < MAX_CODE_POINT) {
      // Skip the surrogate block: those code points cannot appear in well-formed text.
      const next = last === 0xd7ff ? 0xe000 : last + 1;
      return String.fromCodePoint(...points, next);
    }
  }
  return null;
}

/** Index bounds for a prefix filter: `name >= lower` and, when not null, `name < upper`. */
export interface PrefixBounds {
  lower: string;
  upper: string | null;
}

/** Bounds for `prefix`, or null when there is no prefix filter. */
export function prefixBounds(prefix: string | undefined): PrefixBounds | null {
  if (prefix === undefined || prefix === "") return null;
  return { lower: prefix, upper: prefixSuccessor(prefix) };
}

/** A position in the (name, snapshot) order of shares. */
export interface ShareKey {
  name: string;
  snapshot: string;
}

/** Encodes the listShares continuation marker: opaque, URL- and XML-safe text. */
export function encodeShareMarker(key: ShareKey): string {
  return Buffer.from(JSON.stringify([key.name, key.snapshot]), "utf8").toString("base64url");
}

/**
 * Decodes a listShares marker. A marker that is not one of ours is read as a bare share name:
 * the listing continues after that name's base share (its snapshots still follow).
 */
export function decodeShareMarker(marker: string): ShareKey {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(marker, "base64url").toString("utf8"));
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      typeof decoded[0] === "string" &&
      typeof decoded[1] === "string" &&
      encodeShareMarker({ name: decoded[0], snapshot: decoded[1] }) === marker
    ) {
      return { name: decoded[0], snapshot: decoded[1] };
    }
  } catch {
    // not ours: fall through
  }
  return { name: marker, snapshot: "" };
}

/**
 * How many rows to fetch for a page of `limit` items: one more, to know whether more follow. A limit
 * below 1 (or not a number) counts as 1.
 */
export function fetchCount(limit: number): number {
  const n = Math.floor(limit);
  return (Number.isSafeInteger(n) && n >= 1 ? n : 1) + 1;
}

/** Cuts `limit + 1` fetched rows to a page; the marker is the key of the last item kept. */
export function toPage<T>(rows: T[], limit: number, keyOf: (item: T) => string): ListPage<T> {
  const keep = fetchCount(limit) - 1;
  if (rows.length <= keep) return { items: rows, nextMarker: null };
  const items = rows.slice(0, keep);
  const last = items[items.length - 1];
  return { items, nextMarker: last === undefined ? null : keyOf(last) };
}
