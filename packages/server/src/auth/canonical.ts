/** Pieces of the request that every signature scheme canonicalizes. */
export interface SignedRequest {
  method: string;
  /** The raw request target path as sent (still percent-encoded), without the query. */
  rawPath: string;
  /** Raw query string without "?" (may be ""). */
  rawQuery: string;
  /** Header lookup, names lower-case; undefined when absent. */
  header(name: string): string | undefined;
  /** All header names, lower-case. */
  headerNames(): string[];
}

/**
 * `x-ms-*` headers, lower-cased, sorted, trimmed, one per line ending in "\n". The documentation
 * also folds runs of whitespace inside a value into one space; the official SDKs sign values
 * unfolded, so verification tries both (`foldWhitespace`).
 */
export function canonicalizedHeaders(req: SignedRequest, foldWhitespace = false): string {
  const names = req
    .headerNames()
    .filter((n) => n.startsWith("x-ms-"))
    .sort();
  let out = "";
  for (const name of names) {
    const raw = (req.header(name) ?? "").trim();
    const value = foldWhitespace ? raw.replace(/\s+/g, " ") : raw;
    out += `${name}:${value}\n`;
  }
  return out;
}

/** Query parameters with lower-cased names and decoded values, values of a name sorted. */
export function decodedQuery(rawQuery: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!rawQuery) return out;
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? "" : part.slice(eq + 1);
    const name = safeDecode(rawName).toLowerCase();
    const list = out.get(name) ?? [];
    list.push(safeDecode(rawValue));
    out.set(name, list);
  }
  return out;
}

/** SharedKey canonicalized resource: "/" + account + path, then "\nname:v1,v2" per sorted query name. */
export function canonicalizedResource(account: string, path: string, rawQuery: string): string {
  let out = `/${account}${path}`;
  const query = decodedQuery(rawQuery);
  for (const name of [...query.keys()].sort()) {
    const values = [...(query.get(name) ?? [])].sort();
    out += `\n${name}:${values.join(",")}`;
  }
  return out;
}

/** SharedKeyLite canonicalized resource: "/" + account + path, plus "?comp=…" when comp is present. */
export function canonicalizedResourceLite(account: string, path: string, rawQuery: string): string {
  const comp = decodedQuery(rawQuery).get("comp");
  return `/${account}${path}${comp ? `?comp=${comp.join(",")}` : ""}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, "%20"));
  } catch {
    return s;
  }
}
