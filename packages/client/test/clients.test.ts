import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  SasCredential,
  ShareClient,
  ShareDirectoryClient,
  SharedKeyCredential,
  ShareError,
  ShareFileClient,
  ShareServiceClient,
} from "../src/index.js";
import { ACCOUNT, KEY, withFakeService } from "./helpers/fake-files-service.js";

const fast = { retry: { retryDelayMs: 1, maxRetryDelayMs: 5 } };

describe("ShareServiceClient", () => {
  test("fromConnectionString with a path-style FileEndpoint: shares are created, listed and paged", async () => {
    await withFakeService(async (fake) => {
      const service = ShareServiceClient.fromConnectionString(fake.connectionString, fast);
      assert.equal(service.accountName, ACCOUNT);
      assert.equal(service.url, fake.accountUrl);
      for (const name of ["alpha", "beta", "gamma"]) {
        await service.createShare(name, { metadata: { owner: name }, quota: 10 });
      }
      assert.equal(fake.requests[0]?.rawUrl, "/devstoreaccount1/alpha?restype=share");
      assert.equal(fake.requests[0]?.headers["x-ms-meta-owner"], "alpha");
      assert.equal(fake.requests[0]?.headers["x-ms-share-quota"], "10");

      const names: string[] = [];
      for await (const share of service.listShares({ includeMetadata: true, maxPageSize: 2 })) {
        names.push(share.name);
        assert.equal(share.metadata.owner, share.name);
      }
      assert.deepEqual(names, ["alpha", "beta", "gamma"]);
      const listRequest = fake.requests.find((r) => r.url.searchParams.get("comp") === "list");
      assert.equal(listRequest?.rawUrl, "/devstoreaccount1?comp=list&maxresults=2&include=metadata");

      const pages = [];
      for await (const page of service.listShares().byPage({ maxPageSize: 2 }))
        pages.push(page.items.map((s) => s.name));
      assert.deepEqual(pages, [["alpha", "beta"], ["gamma"]]);

      const resumed = service.listShares().byPage({ continuationToken: "alpha", maxPageSize: 5 });
      const first = await resumed.next();
      assert.deepEqual(
        first.value?.items.map((s: { name: string }) => s.name),
        ["beta", "gamma"],
      );

      const filtered = [];
      for await (const share of service.listShares({ nameStartsWith: "g" })) filtered.push(share.name);
      assert.deepEqual(filtered, ["gamma"]);

      await service.deleteShare("beta");
      assert.equal(await service.getShareClient("beta").exists(), false);
    });
  });

  test("service properties are sent as XML and parsed back", async () => {
    await withFakeService(async (fake) => {
      let stored = "";
      fake.intercept = (request) => {
        if (request.url.searchParams.get("restype") !== "service") return undefined;
        if (request.method === "PUT") {
          stored = request.body.toString();
          assert.equal(request.headers["content-type"], "application/xml");
          return { status: 202 };
        }
        return { status: 200, body: stored };
      };
      const service = new ShareServiceClient(fake.accountUrl, new SharedKeyCredential(ACCOUNT, KEY));
      await service.setServiceProperties({
        cors: [
          {
            allowedOrigins: ["*"],
            allowedMethods: ["GET"],
            allowedHeaders: [],
            exposedHeaders: [],
            maxAgeInSeconds: 5,
          },
        ],
        protocol: { smb: { multichannel: { enabled: false } } },
      });
      assert.match(stored, /<Cors><CorsRule><AllowedOrigins>\*<\/AllowedOrigins>/);
      const properties = await service.getServiceProperties();
      assert.equal(properties.cors?.[0]?.maxAgeInSeconds, 5);
      assert.deepEqual(properties.protocol?.smb?.multichannel, { enabled: false });
      assert.equal(properties.hourMetrics, undefined);
      const put = fake.requests.find((r) => r.method === "PUT");
      assert.equal(put?.rawUrl, "/devstoreaccount1?restype=service&comp=properties");
    });
  });

  test("constructor: host-style account URL needs no path; a path after the account is refused", () => {
    const service = new ShareServiceClient(
      "https://myaccount.file.core.windows.net",
      new SharedKeyCredential("myaccount", KEY),
    );
    assert.equal(service.accountName, "myaccount");
    assert.equal(service.getShareClient("s").url, "https://myaccount.file.core.windows.net/s");
    assert.throws(() => new ShareServiceClient("http://127.0.0.1:10004/acct/share"), TypeError);
  });
});

describe("ShareClient", () => {
  test("create, exists, properties, quota, metadata, stats, createIfNotExists, delete", async () => {
    await withFakeService(async (fake) => {
      const share = ShareClient.fromConnectionString(fake.connectionString, "docs", fast);
      assert.equal(await share.exists(), false);
      const created = await share.create({ quota: 7 });
      assert.equal(created.quota, 7);
      assert.ok(created.etag);
      assert.equal(await share.exists(), true);
      const again = await share.createIfNotExists();
      assert.equal(again.succeeded, false);
      assert.equal(again.requestId?.startsWith("req-"), true);

      await share.setShareQuota(9);
      await share.setShareMetadata({ maintenance_mode: "true" });
      const props = await share.getShareProperties();
      assert.equal(props.name, "docs");
      assert.equal(props.quota, 9);
      assert.deepEqual(props.metadata, { maintenance_mode: "true" });
      assert.deepEqual(props.lease, { status: "unlocked", state: "available", duration: undefined });
      assert.equal(props.requestId?.startsWith("req-"), true);

      await share
        .getFileClient("f.bin")
        .createFile(0)
        .catch(() => undefined);
      await share.getRootDirectoryClient().createFile("a.bin", 3);
      assert.equal((await share.getShareStats()).shareUsageBytes, 3);

      const quotaRequest = fake.requests.find((r) => r.headers["x-ms-share-quota"] === "9");
      assert.equal(quotaRequest?.rawUrl, "/devstoreaccount1/docs?restype=share&comp=properties");
      await share.delete();
      assert.equal(await share.deleteIfExists(), false);
    });
  });

  test("directories and files through the share client; listing in service order", async () => {
    await withFakeService(async (fake) => {
      const share = ShareClient.fromConnectionString(fake.connectionString, "s", fast);
      await share.create();
      const dir = await share.createDirectory("maintenance", { leaseId: "ignored-for-directories" });
      assert.equal(
        fake.requests.at(-1)?.headers["x-ms-lease-id"],
        undefined,
        "directory ops carry no lease id",
      );
      assert.equal(dir.path, "maintenance");
      await dir.createSubdirectory("sub dir");
      await dir.createFile("b.txt", 5);
      await dir.createFile("a.txt", 1);
      const names: Array<[string, string]> = [];
      for await (const item of share.listDirectoriesAndFiles({ directoryName: "maintenance" })) {
        names.push([item.kind, item.name]);
      }
      assert.deepEqual(names, [
        ["file", "a.txt"],
        ["file", "b.txt"],
        ["directory", "sub dir"],
      ]);
      const listing = fake.requests.find((r) => r.url.searchParams.get("comp") === "list");
      assert.equal(listing?.rawUrl, "/devstoreaccount1/s/maintenance?restype=directory&comp=list");
      const subRequest = fake.requests.find((r) => r.rawUrl.includes("sub%20dir"));
      assert.equal(subRequest?.rawUrl, "/devstoreaccount1/s/maintenance/sub%20dir?restype=directory");

      const root = [];
      for await (const item of share.listDirectoriesAndFiles({
        include: ["timestamps", "etag"],
        nameStartsWith: "m",
      })) {
        root.push(item.name);
      }
      assert.deepEqual(root, ["maintenance"]);
      const rootList = fake.requests.filter((r) => r.url.searchParams.get("comp") === "list").at(-1);
      assert.equal(
        rootList?.rawUrl,
        "/devstoreaccount1/s?restype=directory&comp=list&prefix=m&include=Timestamps%2CEtag",
      );

      await dir.deleteFile("a.txt");
      await dir.deleteFile("b.txt");
      await dir.deleteSubdirectory("sub dir");
      await share.deleteDirectory("maintenance");
      assert.equal(await dir.exists(), false);
    });
  });

  test("snapshot clients send sharesnapshot on every request", async () => {
    await withFakeService(async (fake) => {
      const live = new ShareServiceClient(
        fake.accountUrl,
        new SharedKeyCredential(ACCOUNT, KEY),
      ).getShareClient("s");
      const snap = live.withSnapshot("2024-01-01T00:00:00.0000000Z");
      assert.equal(snap.snapshot, "2024-01-01T00:00:00.0000000Z");
      await snap.getShareProperties().catch(() => undefined);
      await snap
        .getFileClient("d/f")
        .getFileProperties()
        .catch(() => undefined);
      const rawUrls = fake.requests.map((r) => r.rawUrl);
      assert.deepEqual(rawUrls, [
        "/devstoreaccount1/s?restype=share&sharesnapshot=2024-01-01T00%3A00%3A00.0000000Z",
        "/devstoreaccount1/s/d/f?sharesnapshot=2024-01-01T00%3A00%3A00.0000000Z",
      ]);
    });
  });
});

describe("ShareDirectoryClient and ShareFileClient basics", () => {
  test("directory create/createIfNotExists/properties/metadata; file properties, headers, metadata, resize", async () => {
    await withFakeService(async (fake) => {
      const share = ShareClient.fromConnectionString(fake.connectionString, "s", fast);
      await share.create();
      const dir = ShareDirectoryClient.fromConnectionString(fake.connectionString, "s", "d", fast);
      assert.equal((await dir.createIfNotExists()).succeeded, true);
      assert.equal((await dir.createIfNotExists()).succeeded, false);
      await dir.setDirectoryMetadata({ a: "1" });
      const dirProps = await dir.getDirectoryProperties();
      assert.deepEqual(dirProps.metadata, { a: "1" });
      assert.equal(dirProps.name, "d");

      const file = ShareFileClient.fromConnectionString(fake.connectionString, "s", "d/f.txt", fast);
      assert.equal(file.url, `${fake.accountUrl}/s/d/f.txt`);
      assert.equal(file.name, "f.txt");
      assert.equal(file.path, "d/f.txt");
      assert.equal(await file.exists(), false);
      await file.createFile(10, { contentSettings: { contentType: "text/plain" }, metadata: { k: "v" } });
      const create = fake.requests.at(-1);
      assert.equal(create?.headers["x-ms-type"], "file");
      assert.equal(create?.headers["x-ms-content-length"], "10");
      assert.equal(create?.headers["x-ms-content-type"], "text/plain");

      let props = await file.getFileProperties();
      assert.equal(props.size, 10);
      assert.equal(props.contentSettings.contentType, "text/plain");
      assert.deepEqual(props.metadata, { k: "v" });
      assert.deepEqual(props.lease, { status: "unlocked", state: "available", duration: undefined });

      await file.setHttpHeaders({ contentType: "application/json", cacheControl: "no-cache" });
      await file.setFileMetadata({ locked: "true", locked_by: "process_123" });
      await file.resizeFile(3);
      const resize = fake.requests.at(-1);
      assert.equal(resize?.rawUrl, "/devstoreaccount1/s/d/f.txt?comp=properties");
      assert.equal(resize?.headers["x-ms-content-length"], "3");
      props = await file.getFileProperties();
      assert.equal(props.size, 3);
      assert.deepEqual(props.metadata, { locked: "true", locked_by: "process_123" });

      const ranges = await file.listRanges();
      assert.deepEqual(ranges.ranges, [{ start: 0, end: 2 }]);
      assert.equal(ranges.fileContentLength, 3);
      await file.listRanges({ offset: 0, length: 2 });
      assert.equal(fake.requests.at(-1)?.headers["x-ms-range"], "bytes=0-1");

      await file.deleteFile();
      assert.equal(await file.exists(), false);
    });
  });

  test("uploadRange / clearRange wire format, MD5 validation, and 416 surfaces as ShareError", async () => {
    await withFakeService(async (fake) => {
      const share = ShareClient.fromConnectionString(fake.connectionString, "s", fast);
      await share.create();
      const file = share.getFileClient("r.bin");
      await file.createFile(1024);
      await file.uploadRange("hello", 512, { validateContent: true });
      const put = fake.requests.at(-1);
      assert.equal(put?.rawUrl, "/devstoreaccount1/s/r.bin?comp=range");
      assert.equal(put?.headers["x-ms-range"], "bytes=512-516");
      assert.equal(put?.headers["x-ms-write"], "update");
      assert.equal(put?.headers["content-md5"], "XUFAKrxLKna5cZ2REBfFkg==");
      await file.clearRange(0, 512);
      const clear = fake.requests.at(-1);
      assert.equal(clear?.headers["x-ms-write"], "clear");
      assert.equal(clear?.headers["x-ms-range"], "bytes=0-511");
      assert.equal(clear?.headers["content-length"], "0");
      const content = await (await file.downloadFile({ offset: 510, length: 8 })).readAll();
      assert.deepEqual([...content], [0, 0, ...Buffer.from("hello"), 0]);
      const error = await file.uploadRange("x", 2000).catch((e: unknown) => e);
      assert.ok(error instanceof ShareError);
      assert.equal(error.statusCode, 416);
      assert.equal(error.errorCode, "InvalidRange");
      await assert.rejects(file.uploadRange(new Uint8Array(0), 0), RangeError);
      await assert.rejects(file.uploadRange(new Uint8Array(4 * 1024 * 1024 + 1), 0), RangeError);
    });
  });

  test("URLs with a SAS token become SAS-authorized clients, and child clients keep the token", async () => {
    await withFakeService(async (fake) => {
      const share = new ShareClient(`${fake.accountUrl}/s?sv=2026-06-06&sig=abc%3D`);
      assert.equal(share.url, `${fake.accountUrl}/s?sv=2026-06-06&sig=abc%3D`);
      await share.getFileClient("f").exists();
      assert.equal(fake.requests[0]?.rawUrl, "/devstoreaccount1/s/f?sv=2026-06-06&sig=abc%3D");
      assert.equal(fake.requests[0]?.headers.authorization, undefined);
      assert.throws(
        () => new ShareClient(`${fake.accountUrl}/s?sv=1&sig=x`, new SasCredential("sv=1&sig=y")),
        TypeError,
      );
    });
  });

  test("a wrong key gets a 403 ShareError that is not retried", async () => {
    await withFakeService(async (fake) => {
      const file = new ShareFileClient(
        `${fake.accountUrl}/s/f`,
        new SharedKeyCredential(ACCOUNT, "d3Jvbmc="),
      );
      const error = await file.getFileProperties().catch((e: unknown) => e);
      assert.ok(error instanceof ShareError);
      assert.equal(error.statusCode, 403);
      assert.equal(error.errorCode, "AuthenticationFailed");
      assert.equal(fake.requests.length, 1);
    });
  });

  test("constructor argument checks", () => {
    assert.throws(() => new ShareFileClient("http://127.0.0.1:10004/acct/share"), TypeError);
    assert.throws(() => new ShareClient("http://127.0.0.1:10004/acct"), TypeError);
    assert.throws(() => new ShareDirectoryClient("http://127.0.0.1:10004/acct"), TypeError);
    const file = new ShareFileClient("https://acct.file.core.windows.net/share/a/b/c.txt");
    assert.deepEqual(
      [file.accountName, file.shareName, file.path, file.name],
      ["acct", "share", "a/b/c.txt", "c.txt"],
    );
    const root = new ShareClient("https://acct.file.core.windows.net/share").getRootDirectoryClient();
    assert.deepEqual([root.path, root.name, root.url], ["", "", "https://acct.file.core.windows.net/share"]);
  });
});
