import { createHash, createHmac, randomUUID } from "node:crypto";
import { sharedKeyStringToSign } from "../../src/signing/shared-key-string-to-sign.js";
import { type FakeResponse, FakeServer, type RecordedRequest } from "./fake-server.js";

/**
 * A small in-memory imitation of the File service for client tests: shares, directories, files
 * with content, metadata, content headers and leases; path-style (`/devstoreaccount1/...`);
 * verifies SharedKey signatures over the request exactly as received. It is a test double, not a
 * reference implementation of Azure.
 */

export const ACCOUNT = "devstoreaccount1";
export const KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

interface Lease {
  id: string;
  duration: number;
  state: "leased" | "broken";
}

interface Entry {
  kind: "share" | "directory" | "file";
  content: Buffer;
  metadata: Record<string, string>;
  headers: Record<string, string>;
  etag: string;
  lastModified: Date;
  lease: Lease | undefined;
}

type Answer = FakeResponse;

function error(status: number, code: string, message = code, extra = ""): Answer {
  return {
    status,
    headers: { "x-ms-error-code": code, "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message>${extra}</Error>`,
  };
}

export class FakeFilesService {
  readonly entries = new Map<string, Entry>();
  server: FakeServer;
  /** Set to make the next N requests fail with 503 before being handled. */
  failNext = 0;
  /** Delay before answering each request, to make parallelism observable. */
  responseDelayMs = 0;
  /** Requests being handled right now, and the most seen at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** Called before handling; may return an answer to short-circuit. */
  intercept: ((request: RecordedRequest, key: string) => Answer | undefined) | undefined;
  #counter = 0;

  constructor() {
    this.server = new FakeServer(async (request) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      try {
        if (this.responseDelayMs > 0) await new Promise((r) => setTimeout(r, this.responseDelayMs));
        return this.#handle(request);
      } finally {
        this.inFlight--;
      }
    });
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get accountUrl(): string {
    return this.server.accountUrl;
  }

  get connectionString(): string {
    return `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};FileEndpoint=${this.accountUrl};`;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  #touch(entry: Entry): void {
    entry.etag = `"0x${(++this.#counter).toString(16).padStart(8, "0")}"`;
    entry.lastModified = new Date();
  }

  #new(kind: Entry["kind"]): Entry {
    const entry: Entry = {
      kind,
      content: Buffer.alloc(0),
      metadata: {},
      headers: {},
      etag: "",
      lastModified: new Date(),
      lease: undefined,
    };
    this.#touch(entry);
    return entry;
  }

  #verify(request: RecordedRequest): Answer | undefined {
    const auth = request.headers.authorization;
    if (auth === undefined) return undefined; // anonymous is allowed in this fake
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(",") : value);
    }
    const url = new URL(request.rawUrl, this.server.origin);
    const stringToSign = sharedKeyStringToSign(
      { method: request.method, url, headers, contentLength: Number(request.headers["content-length"] ?? 0) },
      ACCOUNT,
    );
    const expected = `SharedKey ${ACCOUNT}:${createHmac("sha256", Buffer.from(KEY, "base64")).update(stringToSign).digest("base64")}`;
    return auth === expected ? undefined : error(403, "AuthenticationFailed", "Signature mismatch");
  }

  #leaseCheck(entry: Entry, request: RecordedRequest, write: boolean): Answer | undefined {
    const given = request.headers["x-ms-lease-id"] as string | undefined;
    const active = entry.lease?.state === "leased" ? entry.lease : undefined;
    const what = entry.kind === "share" ? "Container" : "File";
    if (active) {
      if (given === undefined) return write ? error(412, "LeaseIdMissing") : undefined;
      if (given !== active.id) return error(412, `LeaseIdMismatchWith${what}Operation`);
      return undefined;
    }
    if (given !== undefined) return error(412, `LeaseNotPresentWith${what}Operation`);
    return undefined;
  }

  #standard(entry: Entry): Record<string, string> {
    const headers: Record<string, string> = {
      etag: entry.etag,
      "last-modified": entry.lastModified.toUTCString(),
      "x-ms-lease-status": entry.lease?.state === "leased" ? "locked" : "unlocked",
      "x-ms-lease-state": entry.lease?.state ?? "available",
    };
    if (entry.lease?.state === "leased") {
      headers["x-ms-lease-duration"] = entry.lease.duration === -1 ? "infinite" : "fixed";
    }
    for (const [key, value] of Object.entries(entry.metadata)) headers[`x-ms-meta-${key}`] = value;
    return headers;
  }

  #handle(request: RecordedRequest): Answer {
    if (this.failNext > 0) {
      this.failNext--;
      return error(503, "ServerBusy");
    }
    const denied = this.#verify(request);
    if (denied) return denied;
    const url = new URL(request.rawUrl, this.server.origin);
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (segments.shift() !== ACCOUNT) return error(400, "InvalidUri");
    const key = segments.join("/");
    const intercepted = this.intercept?.(request, key);
    if (intercepted) return intercepted;
    const q = url.searchParams;
    const restype = q.get("restype");
    const comp = q.get("comp");
    const h = request.headers;
    const entry = this.entries.get(key);
    const method = request.method;

    if (segments.length === 0) {
      if (comp === "list") return this.#listShares(q);
      return error(400, "UnsupportedQueryParameter");
    }

    if (comp === "lease") {
      if (!entry) return error(404, segments.length === 1 ? "ShareNotFound" : "ResourceNotFound");
      return this.#lease(entry, request);
    }

    if (restype === "share") {
      if (method === "PUT" && comp === null) {
        if (entry) return error(409, "ShareAlreadyExists");
        const share = this.#new("share");
        share.metadata = metadataOf(h);
        share.headers["x-ms-share-quota"] = String(h["x-ms-share-quota"] ?? "5120");
        this.entries.set(key, share);
        return {
          status: 201,
          headers: { ...this.#standard(share), "x-ms-share-quota": share.headers["x-ms-share-quota"] ?? "" },
        };
      }
      if (!entry) return error(404, "ShareNotFound");
      const write = method !== "GET";
      const leaseError = this.#leaseCheck(entry, request, write);
      if (leaseError) return leaseError;
      if (method === "GET" && comp === null) {
        return {
          status: 200,
          headers: { ...this.#standard(entry), "x-ms-share-quota": entry.headers["x-ms-share-quota"] ?? "" },
        };
      }
      if (method === "GET" && comp === "stats") {
        let usage = 0;
        for (const [k, e] of this.entries) if (k.startsWith(`${key}/`)) usage += e.content.length;
        return { status: 200, body: `<ShareStats><ShareUsageBytes>${usage}</ShareUsageBytes></ShareStats>` };
      }
      if (method === "PUT" && comp === "metadata") {
        entry.metadata = metadataOf(h);
        this.#touch(entry);
        return { status: 200, headers: this.#standard(entry) };
      }
      if (method === "PUT" && comp === "properties") {
        if (h["x-ms-share-quota"]) entry.headers["x-ms-share-quota"] = String(h["x-ms-share-quota"]);
        this.#touch(entry);
        return { status: 200, headers: this.#standard(entry) };
      }
      if (method === "DELETE") {
        for (const k of [...this.entries.keys()])
          if (k === key || k.startsWith(`${key}/`)) this.entries.delete(k);
        return { status: 202 };
      }
      return error(400, "UnsupportedQueryParameter");
    }

    const parentKey = segments.slice(0, -1).join("/");
    if (restype === "directory") {
      if (method === "PUT" && comp === null) {
        if (!this.entries.has(parentKey)) return error(404, "ParentNotFound");
        if (entry) return error(409, "ResourceAlreadyExists");
        const dir = this.#new("directory");
        dir.metadata = metadataOf(h);
        this.entries.set(key, dir);
        return { status: 201, headers: this.#standard(dir) };
      }
      if (!entry || entry.kind === "file") return error(404, "ResourceNotFound");
      if (method === "GET" && comp === null) return { status: 200, headers: this.#standard(entry) };
      if (method === "GET" && comp === "list") return this.#listDirectory(key, q);
      if (method === "PUT" && comp === "metadata") {
        entry.metadata = metadataOf(h);
        this.#touch(entry);
        return { status: 200, headers: this.#standard(entry) };
      }
      if (method === "DELETE") {
        this.entries.delete(key);
        return { status: 202 };
      }
      return error(400, "UnsupportedQueryParameter");
    }

    // Files.
    if (method === "PUT" && comp === null) {
      const parent = this.entries.get(parentKey);
      if (!parent || parent.kind === "file") return error(404, "ParentNotFound");
      if (entry) {
        const leaseError = this.#leaseCheck(entry, request, true);
        if (leaseError) return leaseError;
      }
      const file = entry ?? this.#new("file");
      file.kind = "file";
      file.content = Buffer.alloc(Number(h["x-ms-content-length"] ?? 0));
      file.metadata = metadataOf(h);
      file.headers = contentHeadersOf(h);
      this.#touch(file);
      this.entries.set(key, file);
      return { status: 201, headers: this.#standard(file) };
    }
    if (entry?.kind !== "file") return error(404, "ResourceNotFound");
    const write = method === "PUT" || method === "DELETE";
    const leaseError = this.#leaseCheck(entry, request, write);
    if (leaseError) return leaseError;

    if (method === "HEAD") {
      return {
        status: 200,
        headers: {
          ...this.#standard(entry),
          ...entry.headers,
          "content-length": String(entry.content.length),
          "x-ms-type": "File",
        },
      };
    }
    if (method === "GET" && comp === null) {
      const range = (h["x-ms-range"] as string | undefined)?.match(/^bytes=(\d+)-(\d*)$/);
      if (!range) {
        return { status: 200, headers: { ...this.#standard(entry), ...entry.headers }, body: entry.content };
      }
      const start = Number(range[1]);
      if (start >= entry.content.length) return error(416, "InvalidRange");
      const end = Math.min(entry.content.length - 1, range[2] ? Number(range[2]) : entry.content.length - 1);
      return {
        status: 206,
        headers: {
          ...this.#standard(entry),
          ...entry.headers,
          "content-range": `bytes ${start}-${end}/${entry.content.length}`,
        },
        body: entry.content.subarray(start, end + 1),
      };
    }
    if (method === "GET" && comp === "rangelist") {
      const ranges =
        entry.content.length > 0
          ? `<Range><Start>0</Start><End>${entry.content.length - 1}</End></Range>`
          : "";
      return {
        status: 200,
        headers: { ...this.#standard(entry), "x-ms-content-length": String(entry.content.length) },
        body: `<?xml version="1.0" encoding="utf-8"?><Ranges>${ranges}</Ranges>`,
      };
    }
    if (method === "PUT" && comp === "range") {
      const range = (h["x-ms-range"] as string | undefined)?.match(/^bytes=(\d+)-(\d+)$/);
      if (!range) return error(400, "InvalidHeaderValue");
      const start = Number(range[1]);
      const end = Number(range[2]);
      if (end >= entry.content.length) return error(416, "InvalidRange");
      if (h["x-ms-write"] === "clear") entry.content.fill(0, start, end + 1);
      else {
        if (request.body.length !== end - start + 1) return error(400, "InvalidHeaderValue");
        const md5 = h["content-md5"];
        if (md5 && createHash("md5").update(request.body).digest("base64") !== md5)
          return error(400, "Md5Mismatch");
        request.body.copy(entry.content, start);
      }
      this.#touch(entry);
      return { status: 201, headers: this.#standard(entry) };
    }
    if (method === "PUT" && comp === "properties") {
      const size = h["x-ms-content-length"];
      if (size !== undefined) {
        const next = Buffer.alloc(Number(size));
        entry.content.copy(next, 0, 0, Math.min(next.length, entry.content.length));
        entry.content = next;
      }
      entry.headers = contentHeadersOf(h);
      this.#touch(entry);
      return { status: 200, headers: this.#standard(entry) };
    }
    if (method === "PUT" && comp === "metadata") {
      entry.metadata = metadataOf(h);
      this.#touch(entry);
      return { status: 200, headers: this.#standard(entry) };
    }
    if (method === "DELETE") {
      this.entries.delete(key);
      return { status: 202 };
    }
    return error(400, "UnsupportedQueryParameter");
  }

  #lease(entry: Entry, request: RecordedRequest): Answer {
    const h = request.headers;
    const action = h["x-ms-lease-action"];
    const given = h["x-ms-lease-id"] as string | undefined;
    const active = entry.lease?.state === "leased" ? entry.lease : undefined;
    const base = { etag: entry.etag, "last-modified": entry.lastModified.toUTCString() };
    switch (action) {
      case "acquire": {
        const proposed = (h["x-ms-proposed-lease-id"] as string | undefined) ?? randomUUID();
        if (active && active.id !== proposed) return error(409, "LeaseAlreadyPresent");
        entry.lease = { id: proposed, duration: Number(h["x-ms-lease-duration"] ?? -1), state: "leased" };
        return { status: 201, headers: { ...base, "x-ms-lease-id": proposed } };
      }
      case "renew":
        if (!entry.lease || entry.lease.id !== given) return error(409, "LeaseIdMismatchWithLeaseOperation");
        if (entry.lease.state === "broken") return error(409, "LeaseIsBrokenAndCannotBeRenewed");
        return { status: 200, headers: { ...base, "x-ms-lease-id": entry.lease.id } };
      case "release":
        if (!entry.lease || entry.lease.id !== given) return error(409, "LeaseIdMismatchWithLeaseOperation");
        entry.lease = undefined;
        return { status: 200, headers: base };
      case "change": {
        if (!active) return error(409, "LeaseNotPresentWithLeaseOperation");
        const proposed = h["x-ms-proposed-lease-id"] as string;
        if (given !== active.id && proposed !== active.id)
          return error(409, "LeaseIdMismatchWithLeaseOperation");
        active.id = proposed;
        return { status: 200, headers: { ...base, "x-ms-lease-id": proposed } };
      }
      case "break": {
        if (!entry.lease) return error(409, "LeaseNotPresentWithLeaseOperation");
        const period = Number(h["x-ms-lease-break-period"] ?? 0);
        if (period === 0) entry.lease.state = "broken";
        return { status: 202, headers: { ...base, "x-ms-lease-time": String(period) } };
      }
      default:
        return error(400, "InvalidHeaderValue", "bad action", "<HeaderName>x-ms-lease-action</HeaderName>");
    }
  }

  #listShares(q: URLSearchParams): Answer {
    const prefix = q.get("prefix") ?? "";
    const max = Number(q.get("maxresults") ?? 5000);
    const marker = q.get("marker") ?? "";
    const include = q.get("include") ?? "";
    const names = [...this.entries.entries()]
      .filter(([k, e]) => e.kind === "share" && k.startsWith(prefix) && k > marker)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const page = names.slice(0, max);
    const next = names.length > max ? (page[page.length - 1]?.[0] ?? "") : "";
    const shares = page
      .map(([name, e]) => {
        const metadata = include.includes("metadata")
          ? `<Metadata>${Object.entries(e.metadata)
              .map(([k, v]) => `<${k}>${v}</${k}>`)
              .join("")}</Metadata>`
          : "";
        return `<Share><Name>${name}</Name><Properties><Etag>${e.etag}</Etag><Quota>${e.headers["x-ms-share-quota"]}</Quota><LeaseState>${e.lease?.state ?? "available"}</LeaseState></Properties>${metadata}</Share>`;
      })
      .join("");
    return {
      status: 200,
      body: `<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Shares>${shares}</Shares><NextMarker>${next}</NextMarker></EnumerationResults>`,
    };
  }

  #listDirectory(key: string, q: URLSearchParams): Answer {
    const prefix = q.get("prefix") ?? "";
    const max = Number(q.get("maxresults") ?? 5000);
    const marker = q.get("marker") ?? "";
    const children = [...this.entries.entries()]
      .filter(([k]) => k.startsWith(`${key}/`) && !k.slice(key.length + 1).includes("/"))
      .map(([k, e]) => [k.slice(key.length + 1), e] as const)
      .filter(([name]) => name.startsWith(prefix) && name > marker)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    const page = children.slice(0, max);
    const next = children.length > max ? (page[page.length - 1]?.[0] ?? "") : "";
    const xml = page
      .map(([name, e]) =>
        e.kind === "directory"
          ? `<Directory><Name>${name}</Name><Properties /></Directory>`
          : `<File><Name>${name}</Name><Properties><Content-Length>${e.content.length}</Content-Length></Properties></File>`,
      )
      .join("");
    return {
      status: 200,
      body: `<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Entries>${xml}</Entries><NextMarker>${next}</NextMarker></EnumerationResults>`,
    };
  }
}

function metadataOf(headers: RecordedRequest["headers"]): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith("x-ms-meta-") && typeof value === "string") metadata[name.slice(10)] = value;
  }
  return metadata;
}

function contentHeadersOf(headers: RecordedRequest["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  const map: Record<string, string> = {
    "x-ms-content-type": "content-type",
    "x-ms-content-encoding": "content-encoding",
    "x-ms-content-language": "content-language",
    "x-ms-content-disposition": "content-disposition",
    "x-ms-cache-control": "cache-control",
    "x-ms-content-md5": "content-md5",
  };
  for (const [from, to] of Object.entries(map)) {
    const value = headers[from];
    if (typeof value === "string") out[to] = value;
  }
  return out;
}

/** Starts a fake service for the duration of a callback. */
export async function withFakeService<T>(run: (service: FakeFilesService) => Promise<T>): Promise<T> {
  const service = await new FakeFilesService().start();
  try {
    return await run(service);
  } finally {
    await service.stop();
  }
}
