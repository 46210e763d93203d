import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ShareServiceClient } from "@azure/storage-file-share";
import fc from "fast-check";
import { uniqueShareName } from "./helpers/names.js";
import { errorCode, rawRequest } from "./helpers/raw-http.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let ts: TestServer;
let shareName: string;

before(async () => {
  ts = await startTestServer();
  shareName = uniqueShareName("fuzz");
  const share = ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(shareName);
  await share.create();
  await share.getDirectoryClient("dir").create();
  await share.getDirectoryClient("dir").getFileClient("file.bin").uploadData(Buffer.alloc(3000, 7));
  await share.rootDirectoryClient.getFileClient("top.txt").uploadData(Buffer.from("top"));
});
after(async () => ts.dispose());

/** Percent-encodes every byte of random text (so the request line stays legal HTTP). */
function encodeAll(bytes: Uint8Array): string {
  return [...bytes].map((b) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`).join("");
}

const segment = fc.oneof(
  fc.constantFrom(
    "dir",
    "file.bin",
    "top.txt",
    "missing",
    "DIR",
    "..",
    ".",
    "%2E%2E",
    "a%2Fb",
    "%00",
    "%ZZ",
    "%",
    "",
  ),
  fc.constantFrom("LPT1", "a%3Cb", "x".repeat(300), "%E2%82%AC", "%ED%A0%80", "..%2F..%2Fetc", "a%5Cb"),
  fc.webSegment().filter((s) => s.length < 60),
  fc.uint8Array({ minLength: 1, maxLength: 12 }).map(encodeAll),
);

const shareSegment = fc.oneof(
  fc.constant(() => shareName),
  fc.constantFrom("missing-share", "UPPER", "a", "a--b", "%24root", "").map((s) => () => s),
);

const queryValue = fc.oneof(
  fc.constantFrom("", "share", "directory", "service", "properties", "metadata", "list", "lease", "range"),
  fc.constantFrom(
    "rangelist",
    "stats",
    "filepermission",
    "listhandles",
    "forceclosehandles",
    "copy",
    "snapshot",
  ),
  fc.constantFrom("acl", "rename", "bogus", "0", "-1", "5001", "99999999999999999999", "%ZZ", "%00", "a,b"),
  fc.constantFrom(
    "metadata,snapshots",
    "timestamps,etag,attributes,permissionkey",
    "2024-01-01T00:00:00.0000000Z",
  ),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
);
const queryName = fc.constantFrom(
  "restype",
  "comp",
  "maxresults",
  "marker",
  "prefix",
  "include",
  "sharesnapshot",
  "timeout",
  "COMP",
  "unknown",
);
const query = fc.array(fc.tuple(queryName, queryValue), { maxLength: 4 });

const headerValue = fc.oneof(
  fc.constantFrom("", "0", "1", "-1", "512", "4398046511104", "4398046511105", "99999999999999999999", "abc"),
  fc.constantFrom(
    "bytes=0-511",
    "bytes=0-",
    "bytes=-5",
    "bytes=10-5",
    "bytes=0-4194304",
    "bytes=a-b",
    "bytes=0-0",
  ),
  fc.constantFrom("update", "clear", "acquire", "renew", "change", "release", "break", "file", "directory"),
  fc.constantFrom("00000000-0000-0000-0000-000000000000", "not-a-guid", "true", "false", "include", "*"),
  fc.constantFrom("ReadOnly|Hidden", "Bogus", "now", "preserve", "2024-01-01T00:00:00.0000000Z", "Inherit"),
  fc.constantFrom("AAAAAAAAAAAAAAAAAAAAAA==", "not base64", "O:BAG:BAD:(A;;FA;;;WD)"),
  fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, "")),
);
const headerName = fc.constantFrom(
  "x-ms-range",
  "range",
  "x-ms-content-length",
  "x-ms-type",
  "x-ms-write",
  "x-ms-lease-action",
  "x-ms-lease-id",
  "x-ms-lease-duration",
  "x-ms-lease-break-period",
  "x-ms-proposed-lease-id",
  "x-ms-meta-key",
  "x-ms-meta-1bad",
  "x-ms-file-attributes",
  "x-ms-file-creation-time",
  "x-ms-file-last-write-time",
  "x-ms-file-permission",
  "x-ms-file-permission-key",
  "x-ms-share-quota",
  "x-ms-copy-source",
  "content-md5",
  "x-ms-content-crc64",
  "x-ms-range-get-content-md5",
  "x-ms-delete-snapshots",
  "x-ms-handle-id",
  "x-ms-content-type",
  "x-ms-file-extended-info",
  "origin",
  "content-type",
);
const headers = fc.dictionary(headerName, headerValue, { maxKeys: 5 });

const body = fc.oneof(
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
  fc.constantFrom(
    "<StorageServiceProperties><HourMetrics><Enabled>true</Enabled></HourMetrics></StorageServiceProperties>",
    "<StorageServiceProperties><Cors><CorsRule/></Cors></StorageServiceProperties>",
    '{"permission":"O:BAG:BAD:(A;;FA;;;WD)"}',
    '{"permission":5}',
    "<<<",
  ),
);

/** Anything at all, mostly refused. */
const randomRequest = fc.record({
  method: fc.constantFrom("GET", "PUT", "HEAD", "DELETE", "POST", "OPTIONS", "PATCH", "MERGE"),
  accountSegment: fc.boolean(),
  share: shareSegment,
  path: fc.array(segment, { maxLength: 4 }),
  trailingSlash: fc.boolean(),
  query,
  headers,
  body,
});

/** A name the plausible requests create, read and delete (a small pool, so they meet each other). */
const name = fc.constantFrom("n1", "n2", "N1", "n3.txt", "dir");

/** Real operations with valid or nearly valid arguments, so the random walk also reaches successes. */
const plausibleRequest = fc
  .tuple(
    fc.oneof(
      fc.constant({ method: "GET", path: [] as string[], query: [["restype", "share"]] }),
      fc.constant({
        method: "GET",
        path: [] as string[],
        query: [
          ["restype", "directory"],
          ["comp", "list"],
        ],
      }),
      name.map((n) => ({ method: "PUT", path: [n], query: [["restype", "directory"]] })),
      name.map((n) => ({ method: "DELETE", path: [n], query: [["restype", "directory"]] })),
      name.map((n) => ({ method: "GET", path: ["dir", n], query: [] })),
      name.map((n) => ({ method: "HEAD", path: [n], query: [] })),
      name.map((n) => ({ method: "DELETE", path: ["dir", n], query: [] })),
      name.map((n) => ({ method: "GET", path: ["dir", n], query: [["comp", "rangelist"]] })),
      name.map((n) => ({ method: "PUT", path: ["dir", n], query: [["comp", "metadata"]] })),
      name.map((n) => ({ method: "PUT", path: ["dir", n], query: [["comp", "lease"]] })),
    ),
    fc.option(fc.tuple(headerName, headerValue), { nil: undefined }),
  )
  .chain(([op, extra]) =>
    fc
      .record({
        size: fc.integer({ min: 0, max: 4096 }),
        start: fc.integer({ min: 0, max: 4096 }),
        length: fc.integer({ min: 1, max: 700 }),
        action: fc.constantFrom("acquire", "break", "release"),
      })
      .map(({ size, start, length, action }) => {
        const h: Record<string, string> = {};
        let data: Buffer | undefined;
        let q = op.query;
        const file = op.path[0] === "dir" && op.query.length === 0;
        if (op.method === "PUT" && op.query.length === 0)
          Object.assign(h, { "x-ms-content-length": String(size) });
        if (op.query[0]?.[1] === "metadata") h["x-ms-meta-k"] = String(size);
        if (op.query[0]?.[1] === "lease") {
          h["x-ms-lease-action"] = action;
          if (action === "acquire") h["x-ms-lease-duration"] = "-1";
          if (action === "release") h["x-ms-lease-id"] = "00000000-0000-0000-0000-000000000000";
        }
        if (file && op.method === "GET" && size % 2 === 0)
          h["x-ms-range"] = `bytes=${start}-${start + length - 1}`;
        if (file && op.method === "GET" && size % 3 === 0) {
          // Turn it into a create or a Put Range on the same file.
          if (size % 2 === 1) {
            return {
              ...op,
              method: "PUT",
              headers: { "x-ms-content-length": String(size) },
              body: undefined,
            };
          }
          data = Buffer.alloc(length, start % 256);
          q = [["comp", "range"]];
          Object.assign(h, { "x-ms-range": `bytes=${start}-${start + length - 1}`, "x-ms-write": "update" });
          delete h["x-ms-range-get-content-md5"];
          return { ...op, method: "PUT", query: q, headers: { ...h }, body: data };
        }
        if (extra) h[extra[0]] = extra[1];
        return { ...op, query: q, headers: h, body: data };
      }),
  )
  .map((op) => ({
    method: op.method,
    accountSegment: true,
    share: () => shareName,
    path: op.path,
    trailingSlash: false,
    query: op.query as Array<[string, string]>,
    headers: op.headers,
    body: op.body,
  }));

const request = fc.oneof(randomRequest, plausibleRequest);

describe("random well-signed requests", () => {
  test("a few hundred random requests: never a 5xx (other than 501 NotImplemented), never a hang", async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const parts = [r.share(), ...r.path];
        let path = `${r.accountSegment ? `/${ts.accountName}` : ""}/${parts.join("/")}${r.trailingSlash ? "/" : ""}`;
        if (r.query.length > 0) path += `?${r.query.map(([k, v]) => `${k}=${v}`).join("&")}`;
        const res = await rawRequest({
          endpoint: ts.endpoint,
          accountName: ts.accountName,
          accountKey: ts.accountKey,
          method: r.method,
          path,
          headers: r.headers,
          ...(r.body !== undefined && r.method !== "GET" && r.method !== "HEAD" ? { body: r.body } : {}),
          timeoutMs: 5_000,
        });
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const what = `${r.method} ${path} ${JSON.stringify(r.headers)} → ${res.status} ${res.body.slice(0, 200)}`;
        assert.ok(res.status < 500 || res.headers["x-ms-error-code"] === "NotImplemented", what);
        assert.ok(res.headers["x-ms-request-id"], `no request id: ${what}`);
        assert.ok(res.headers["x-ms-version"], `no version: ${what}`);
        if (res.status >= 400) {
          assert.ok(res.headers["x-ms-error-code"], `no error code: ${what}`);
          if (r.method !== "HEAD") assert.equal(errorCode(res.body), res.headers["x-ms-error-code"], what);
        }
      }),
      { numRuns: Number(process.env.SHARELOCK_FUZZ_RUNS ?? 400), endOnFailure: true },
    );
    // The generator reached both successes and failures (the property is not vacuous).
    const statuses = [...seen.keys()];
    assert.ok(
      statuses.some((s) => s < 300),
      `statuses seen: ${statuses.join(",")}`,
    );
    assert.ok(
      statuses.some((s) => s >= 400),
      `statuses seen: ${statuses.join(",")}`,
    );

    // The server is still healthy.
    const svc = ShareServiceClient.fromConnectionString(ts.connectionString);
    const probe = svc.getShareClient(uniqueShareName("after-fuzz"));
    await probe.create();
    await probe.rootDirectoryClient.getFileClient("ok.txt").uploadData(Buffer.from("still fine"));
    assert.equal(
      (await probe.rootDirectoryClient.getFileClient("ok.txt").downloadToBuffer()).toString(),
      "still fine",
    );
  });
});
