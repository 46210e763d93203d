import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ShareServiceClient } from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import { rejectsWith } from "./helpers/sdk-assertions.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let ts: TestServer;
let service: ShareServiceClient;

before(async () => {
  ts = await startTestServer();
  service = ShareServiceClient.fromConnectionString(ts.connectionString);
});
after(async () => ts.dispose());

describe("shares through the official SDK", () => {
  test("create with quota and metadata, read properties back", async () => {
    const name = uniqueShareName();
    const share = service.getShareClient(name);
    const created = await share.create({ quota: 10, metadata: { owner: "alice", Project: "x" } });
    assert.ok(created.etag);
    assert.equal(created._response.headers.get("x-ms-share-quota"), "10");
    const props = await share.getProperties();
    assert.equal(props.quota, 10);
    assert.deepEqual(props.metadata, { owner: "alice", project: "x" });
    assert.equal(props.leaseState, "available");
    assert.equal(props.leaseStatus, "unlocked");
    assert.equal(props.leaseDuration, undefined);
    assert.equal(props.etag, created.etag);
  });

  test("create twice: 409 ShareAlreadyExists; createIfNotExists says it existed", async () => {
    const share = service.getShareClient(uniqueShareName());
    await share.create();
    await rejectsWith(share.create(), 409, "ShareAlreadyExists");
    const again = await share.createIfNotExists();
    assert.equal(again.succeeded, false);
    assert.equal(await share.exists(), true);
    assert.equal(await service.getShareClient(uniqueShareName()).exists(), false);
  });

  test("invalid share names get 400 InvalidResourceName", async () => {
    for (const bad of ["ab", "Upper", "a--b", "-ab", "ab-", "x".repeat(64)]) {
      await rejectsWith(service.getShareClient(bad).create(), 400, "InvalidResourceName");
    }
  });

  test("set quota and metadata change the ETag; bad quota is 400", async () => {
    const share = service.getShareClient(uniqueShareName());
    const { etag } = await share.create();
    await share.setQuota(20);
    await share.setMetadata({ a: "1" });
    const props = await share.getProperties();
    assert.equal(props.quota, 20);
    assert.deepEqual(props.metadata, { a: "1" });
    assert.notEqual(props.etag, etag);
    await rejectsWith(share.setQuota(0), 400, "InvalidHeaderValue");
    await rejectsWith(share.setQuota(102401), 400, "InvalidHeaderValue");
  });

  test("invalid metadata keys get 400 InvalidMetadata", async () => {
    const share = service.getShareClient(uniqueShareName());
    await rejectsWith(share.create({ metadata: { "1abc": "x" } }), 400, "InvalidMetadata");
    await share.create();
    await rejectsWith(share.setMetadata({ "bad-key": "x" }), 400, "InvalidMetadata");
    await rejectsWith(share.setMetadata({ big: "x".repeat(9000) }), 400, "MetadataTooLarge");
  });

  test("delete: 202, then 404 ShareNotFound everywhere", async () => {
    const share = service.getShareClient(uniqueShareName());
    await share.create();
    await share.delete();
    await rejectsWith(share.getProperties(), 404, "ShareNotFound");
    await rejectsWith(share.delete(), 404, "ShareNotFound");
    await rejectsWith(share.setMetadata({}), 404, "ShareNotFound");
  });

  test("share stats report the bytes in use", async () => {
    const share = service.getShareClient(uniqueShareName());
    await share.create();
    assert.equal((await share.getStatistics()).shareUsageBytes, 0);
    const { fileClient } = await share.rootDirectoryClient.createFile("a.bin", 1000);
    await fileClient.uploadRange(Buffer.alloc(100, 1), 0, 100);
    await share.rootDirectoryClient.createFile("b.bin", 24);
    assert.equal((await share.getStatistics()).shareUsageBytes, 1024);
  });

  test("list shares: prefix, include metadata, pagination with markers", async () => {
    const prefix = `list-${process.pid}-`;
    const names = Array.from({ length: 7 }, (_, i) => `${prefix}${String(i).padStart(2, "0")}`);
    for (const n of names) await service.getShareClient(n).create({ metadata: { n } });
    const seen: string[] = [];
    const pages = service.listShares({ prefix, includeMetadata: true }).byPage({ maxPageSize: 3 });
    let pageCount = 0;
    for await (const page of pages) {
      pageCount += 1;
      for (const s of page.shareItems ?? []) {
        seen.push(s.name);
        assert.deepEqual(s.metadata, { n: s.name });
        assert.equal(s.properties.leaseState, "available");
        assert.ok(s.properties.etag);
        assert.ok(s.properties.quota > 0);
      }
    }
    assert.deepEqual(seen, names);
    assert.equal(pageCount, 3);
    const plain: string[] = [];
    for await (const s of service.listShares({ prefix: `${prefix}0` })) plain.push(s.name);
    assert.equal(plain.length, 7);
  });

  test("list shares with a bad maxresults is 400", async () => {
    const it = service.listShares().byPage({ maxPageSize: 0 });
    await rejectsWith(it.next(), 400, "InvalidQueryParameterValue");
  });
});

describe("service properties through the official SDK", () => {
  test("defaults include metrics, empty CORS and ProtocolSettings", async () => {
    const props = await service.getProperties();
    assert.equal(props.hourMetrics?.enabled, false);
    assert.equal(props.minuteMetrics?.enabled, false);
    assert.deepEqual(props.cors ?? [], []);
    assert.equal(props.protocol?.smb?.multichannel?.enabled, false);
  });

  test("set metrics and CORS, read them back; preflight honours the rules", async () => {
    await service.setProperties({
      hourMetrics: {
        enabled: true,
        includeAPIs: true,
        version: "1.0",
        retentionPolicy: { enabled: true, days: 7 },
      },
      cors: [
        {
          allowedOrigins: "https://app.example",
          allowedMethods: "GET,PUT",
          allowedHeaders: "x-ms-meta-*,content-type",
          exposedHeaders: "x-ms-request-id",
          maxAgeInSeconds: 300,
        },
      ],
    });
    const props = await service.getProperties();
    assert.equal(props.hourMetrics?.enabled, true);
    assert.equal(props.hourMetrics?.retentionPolicy?.days, 7);
    assert.equal(props.cors?.length, 1);
    assert.equal(props.cors?.[0]?.allowedOrigins, "https://app.example");
    assert.equal(props.cors?.[0]?.maxAgeInSeconds, 300);

    const url = `${ts.accountUrl}/anyshare?restype=share`;
    const ok = await fetch(url, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "PUT",
        "access-control-request-headers": "x-ms-meta-a",
      },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("access-control-allow-origin"), "https://app.example");
    assert.equal(ok.headers.get("access-control-max-age"), "300");
    const denied = await fetch(url, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "PUT" },
    });
    assert.equal(denied.status, 403);
    assert.equal(denied.headers.get("x-ms-error-code"), "CorsPreflightFailure");

    // An actual request from the allowed origin carries the CORS response headers.
    const res = await fetch(`${ts.accountUrl}/?comp=list`, { headers: { origin: "https://app.example" } });
    assert.equal(res.headers.get("access-control-allow-origin"), "https://app.example");
    assert.equal(res.headers.get("access-control-expose-headers"), "x-ms-request-id");
    await service.setProperties({ cors: [] });
  });
});
