import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import { errorCode, rawRequest } from "./helpers/raw-http.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

// The Azure Files REST reference (2026-06-06 swagger) lists no If-Match / If-None-Match /
// If-Modified-Since / If-Unmodified-Since parameter on any operation; Azure Files answers such a
// request with 400 ConditionHeadersNotSupported instead of ignoring the condition.

let ts: TestServer;
let s: string;
let share: ShareClient;
let etag: string;

before(async () => {
  ts = await startTestServer();
  s = uniqueShareName("cond");
  share = ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(s);
  await share.create();
  await share.getDirectoryClient("d").create();
  const file = share.rootDirectoryClient.getFileClient("f.txt");
  await file.uploadData(Buffer.from("original"));
  await file.setMetadata({ v: "1" });
  etag = (await file.getProperties()).etag as string;
});
after(async () => ts.dispose());

function send(method: string, path: string, headers: Record<string, string>, body?: string) {
  return rawRequest({
    endpoint: ts.endpoint,
    accountName: ts.accountName,
    accountKey: ts.accountKey,
    method,
    path: `/${ts.accountName}${path}`,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
}

describe("HTTP conditional headers", () => {
  test("every operation refuses them with 400 ConditionHeadersNotSupported, and nothing changes", async () => {
    const past = new Date(Date.now() - 3600_000).toUTCString();
    const conditions: Array<Record<string, string>> = [
      { "if-match": etag },
      { "if-match": '"0x0"' },
      { "if-none-match": "*" },
      { "if-modified-since": past },
      { "if-unmodified-since": past },
    ];
    const operations: Array<[string, string, Record<string, string>, string?]> = [
      ["GET", `/${s}/f.txt`, {}],
      ["HEAD", `/${s}/f.txt`, {}],
      ["PUT", `/${s}/f.txt?comp=metadata`, { "x-ms-meta-v": "2" }],
      ["PUT", `/${s}/f.txt?comp=range`, { "x-ms-range": "bytes=0-3", "x-ms-write": "update" }, "XXXX"],
      ["PUT", `/${s}/f.txt?comp=properties`, { "x-ms-content-length": "3" }],
      ["PUT", `/${s}/f.txt`, { "x-ms-content-length": "1", "x-ms-type": "file" }],
      ["DELETE", `/${s}/f.txt`, {}],
      ["GET", `/${s}/f.txt?comp=rangelist`, {}],
      ["PUT", `/${s}/f.txt?comp=lease`, { "x-ms-lease-action": "acquire", "x-ms-lease-duration": "-1" }],
      ["GET", `/${s}/d?restype=directory`, {}],
      ["DELETE", `/${s}/d?restype=directory`, {}],
      ["GET", `/${s}?restype=directory&comp=list`, {}],
      ["GET", `/${s}?restype=share`, {}],
      ["PUT", `/${s}?restype=share&comp=metadata`, { "x-ms-meta-x": "1" }],
      ["DELETE", `/${s}?restype=share`, {}],
      ["GET", "/?comp=list", {}],
      ["GET", "/?restype=service&comp=properties", {}],
    ];
    for (const condition of conditions) {
      for (const [method, path, headers, body] of operations) {
        const what = `${method} ${path} ${JSON.stringify(condition)}`;
        const res = await send(method, path, { ...headers, ...condition }, body);
        assert.equal(res.status, 400, `${what}: ${res.body}`);
        assert.equal(res.headers["x-ms-error-code"], "ConditionHeadersNotSupported", what);
        if (method === "HEAD") assert.equal(res.body, "", what);
        else assert.equal(errorCode(res.body), "ConditionHeadersNotSupported", what);
      }
    }
    const file = share.rootDirectoryClient.getFileClient("f.txt");
    const props = await file.getProperties();
    assert.equal(props.etag, etag);
    assert.deepEqual(props.metadata, { v: "1" });
    assert.equal(props.leaseState, "available");
    assert.equal((await file.downloadToBuffer()).toString(), "original");
    assert.ok(await share.getDirectoryClient("d").exists());
  });

  test("authentication comes first: unsigned or wrongly signed requests with conditions get 401/403", async () => {
    const base = {
      endpoint: ts.endpoint,
      accountName: ts.accountName,
      method: "GET",
      path: `/${ts.accountName}/${s}/f.txt`,
      headers: { "if-match": etag },
    };
    const unsigned = await rawRequest({ ...base, accountKey: ts.accountKey, scheme: "none" });
    assert.equal(unsigned.status, 401);
    const wrong = await rawRequest({ ...base, accountKey: Buffer.alloc(64, 3).toString("base64") });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.headers["x-ms-error-code"], "AuthenticationFailed");
  });

  test("the SDK's own operations never send them and keep working", async () => {
    const file = share.rootDirectoryClient.getFileClient("sdk.txt");
    await file.uploadData(Buffer.from("sdk"));
    await file.setMetadata({ a: "b" });
    assert.equal((await file.downloadToBuffer()).toString(), "sdk");
    await file.delete();
  });
});
