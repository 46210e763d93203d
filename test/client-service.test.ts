/**
 * `ShareServiceClient` of `@sharelock/client` against a live Sharelock server: construction,
 * shares, listing (items, pages, continuation tokens), service properties.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SharedKeyCredential, type ShareListPage, ShareServiceClient } from "../packages/client/src/index.js";
import {
  azureService,
  collect,
  FAST_RETRIES,
  ourService,
  rejectsWithShareError,
} from "./helpers/client-kit.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let ts: TestServer;
let service: ShareServiceClient;

before(async () => {
  ts = await startTestServer();
  service = ourService(ts);
});
after(async () => ts.dispose());

describe("ShareServiceClient against a live server", () => {
  test("constructor with a SharedKeyCredential and fromConnectionString reach the same account", async () => {
    const direct = new ShareServiceClient(
      ts.accountUrl,
      new SharedKeyCredential(ts.accountName, ts.accountKey),
      FAST_RETRIES,
    );
    assert.equal(direct.accountName, ts.accountName);
    assert.equal(service.accountName, ts.accountName);
    assert.equal(direct.url.replace(/\/$/, ""), ts.accountUrl);
    const name = uniqueShareName("svc-ctor");
    await direct.createShare(name);
    const names = (await collect(service.listShares({ nameStartsWith: name }))).map((s) => s.name);
    assert.deepEqual(names, [name]);
  });

  test("createShare, getShareClient, deleteShare; errors for existing and missing shares", async () => {
    const name = uniqueShareName("svc-crud");
    const share = await service.createShare(name, { quota: 3, metadata: { purpose: "test" } });
    assert.equal(share.name, name);
    const properties = await service.getShareClient(name).getShareProperties();
    assert.equal(properties.quota, 3);
    assert.deepEqual(properties.metadata, { purpose: "test" });
    await rejectsWithShareError(service.createShare(name), { status: 409, code: "ShareAlreadyExists" });
    await service.deleteShare(name);
    assert.equal(await service.getShareClient(name).exists(), false);
    await rejectsWithShareError(service.deleteShare(name), { status: 404, code: "ShareNotFound" });
    // The official SDK agrees the share is gone.
    assert.equal(await azureService(ts).getShareClient(name).exists(), false);
  });

  test("listShares: every item across pages, with metadata and snapshots when asked", async () => {
    const prefix = uniqueShareName("svc-list");
    const names = ["a", "b", "c", "d", "e", "f", "g"].map((suffix) => `${prefix}-${suffix}`);
    for (const name of names) await service.createShare(name, { metadata: { letter: name.slice(-1) } });
    const snapshot = await service.getShareClient(names[0] as string).createSnapshot();

    const plain = await collect(service.listShares({ nameStartsWith: prefix, maxPageSize: 2 }));
    assert.deepEqual(
      plain.map((s) => s.name),
      names,
      "items in name order across pages",
    );
    assert.deepEqual(plain[0]?.metadata, {}, "no metadata unless asked");
    assert.equal(plain[0]?.lease.state, "available");

    const withMetadata = await collect(service.listShares({ nameStartsWith: prefix, includeMetadata: true }));
    assert.deepEqual(
      withMetadata.map((s) => s.metadata.letter),
      ["a", "b", "c", "d", "e", "f", "g"],
    );

    const withSnapshots = await collect(
      service.listShares({ nameStartsWith: prefix, includeSnapshots: true }),
    );
    assert.equal(withSnapshots.length, names.length + 1);
    const listedSnapshot = withSnapshots.find((s) => s.snapshot !== undefined);
    assert.equal(listedSnapshot?.name, names[0]);
    assert.equal(listedSnapshot?.snapshot, snapshot.snapshot);
  });

  test("listShares().byPage(): page sizes, continuation tokens, resuming from a token", async () => {
    const prefix = uniqueShareName("svc-pages");
    const names = [1, 2, 3, 4, 5, 6, 7].map((n) => `${prefix}-${n}`);
    for (const name of names) await service.createShare(name);

    const pages: ShareListPage[] = await collect(
      service.listShares({ nameStartsWith: prefix }).byPage({ maxPageSize: 3 }),
    );
    assert.deepEqual(
      pages.map((p) => p.items.map((s) => s.name)),
      [names.slice(0, 3), names.slice(3, 6), names.slice(6)],
    );
    assert.ok(pages[0]?.continuationToken, "a full page has a continuation token");
    assert.ok(pages[1]?.continuationToken);
    assert.equal(pages[2]?.continuationToken, undefined, "the last page has none");
    assert.match(pages[0]?.requestId ?? "", /^[0-9a-f-]{36}$/, "each page carries its request id");

    // Resume from the first page's token, with another page size.
    const resumed = await collect(
      service.listShares({ nameStartsWith: prefix }).byPage({
        continuationToken: pages[0]?.continuationToken,
        maxPageSize: 10,
      }),
    );
    assert.equal(resumed.length, 1);
    assert.deepEqual(
      resumed[0]?.items.map((s) => s.name),
      names.slice(3),
    );

    // Stop after one page, then continue by hand with the token: nothing lost, nothing repeated.
    const iterator = service.listShares({ nameStartsWith: prefix }).byPage({ maxPageSize: 4 });
    const first = (await iterator.next()).value as ShareListPage;
    await iterator.return?.(undefined);
    const rest = await collect(
      service.listShares({ nameStartsWith: prefix }).byPage({ continuationToken: first.continuationToken }),
    );
    assert.deepEqual(
      [...first.items, ...rest.flatMap((p) => p.items)].map((s) => s.name),
      names,
    );
  });

  test("listShares: an invalid page size is refused before any request", async () => {
    await assert.rejects(
      collect(service.listShares().byPage({ maxPageSize: 0 })),
      (error: unknown) => error instanceof RangeError,
    );
  });

  test("getServiceProperties / setServiceProperties round trip (CORS, metrics)", async () => {
    const before = await service.getServiceProperties();
    assert.equal(before.hourMetrics?.version, "1.0");
    await service.setServiceProperties({
      hourMetrics: {
        version: "1.0",
        enabled: true,
        includeApis: true,
        retentionPolicy: { enabled: true, days: 5 },
      },
      cors: [
        {
          allowedOrigins: ["https://app.example"],
          allowedMethods: ["GET", "PUT"],
          allowedHeaders: ["x-ms-meta-*"],
          exposedHeaders: ["x-ms-request-id"],
          maxAgeInSeconds: 120,
        },
      ],
    });
    const after = await service.getServiceProperties();
    assert.deepEqual(after.hourMetrics, {
      version: "1.0",
      enabled: true,
      includeApis: true,
      retentionPolicy: { enabled: true, days: 5 },
    });
    assert.deepEqual(after.cors, [
      {
        allowedOrigins: ["https://app.example"],
        allowedMethods: ["GET", "PUT"],
        allowedHeaders: ["x-ms-meta-*"],
        exposedHeaders: ["x-ms-request-id"],
        maxAgeInSeconds: 120,
      },
    ]);
    assert.deepEqual(after.minuteMetrics, before.minuteMetrics, "parts left out are unchanged");
    // The official SDK reads the same settings.
    const official = await azureService(ts).getProperties();
    assert.equal(official.cors?.[0]?.allowedOrigins, "https://app.example");
    assert.equal(official.hourMetrics?.retentionPolicy?.days, 5);
    // Clear the CORS rules again (an empty list removes them).
    await service.setServiceProperties({ cors: [] });
    assert.deepEqual((await service.getServiceProperties()).cors, []);
  });
});
