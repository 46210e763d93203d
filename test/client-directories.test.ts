/**
 * `ShareDirectoryClient` of `@sharelock/client` against a live Sharelock server: create/delete,
 * properties, metadata, listing (include options, extended info, pages and continuation), and the
 * file helpers.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type DirectoryListPage,
  type ShareClient,
  ShareDirectoryClient,
  SharedKeyCredential,
} from "../packages/client/src/index.js";
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
let share: ShareClient;

before(async () => {
  ts = await startTestServer();
  share = await ourService(ts).createShare(uniqueShareName("dirs"));
});
after(async () => ts.dispose());

describe("ShareDirectoryClient against a live server", () => {
  test("constructor and fromConnectionString; path, name, shareName, url", async () => {
    const fromUrl = new ShareDirectoryClient(
      `${ts.accountUrl}/${share.name}/ctor/inner`,
      new SharedKeyCredential(ts.accountName, ts.accountKey),
      FAST_RETRIES,
    );
    assert.equal(fromUrl.path, "ctor/inner");
    assert.equal(fromUrl.name, "inner");
    assert.equal(fromUrl.shareName, share.name);
    assert.equal(fromUrl.accountName, ts.accountName);
    assert.equal(fromUrl.snapshot, undefined);
    const fromString = ShareDirectoryClient.fromConnectionString(
      ts.connectionString,
      share.name,
      "ctor",
      FAST_RETRIES,
    );
    assert.equal(fromString.url, `${ts.accountUrl}/${share.name}/ctor`);
    await fromString.create();
    await fromUrl.create();
    assert.equal(await fromUrl.exists(), true);
    assert.equal(fromString.getSubdirectoryClient("inner").url, fromUrl.url);
    const root = ShareDirectoryClient.fromConnectionString(ts.connectionString, share.name, "");
    assert.equal(root.path, "");
    assert.equal(root.name, "");
    assert.equal(await root.exists(), true);
  });

  test("create, createIfNotExists, exists, properties, metadata, delete", async () => {
    const dir = share.getDirectoryClient("props");
    assert.equal(await dir.exists(), false);
    const created = await dir.create({ metadata: { team: "storage" } });
    assert.ok(created.etag);
    assert.ok(created.fileId);
    assert.equal((await dir.createIfNotExists()).succeeded, false);
    await rejectsWithShareError(dir.create(), { status: 409, code: "ResourceAlreadyExists" });

    const properties = await dir.getDirectoryProperties();
    assert.equal(properties.path, "props");
    assert.deepEqual(properties.metadata, { team: "storage" });
    assert.equal(properties.fileAttributes, "Directory");
    assert.ok(properties.creationTime instanceof Date);
    assert.equal(properties.fileId, created.fileId);
    assert.equal(properties.etag, created.etag);

    const changed = await dir.setDirectoryMetadata({ team: "files", extra: "1" });
    assert.notEqual(changed.etag, created.etag);
    assert.deepEqual((await dir.getDirectoryProperties()).metadata, { team: "files", extra: "1" });
    await dir.delete();
    assert.equal(await dir.exists(), false);
    assert.equal((await dir.createIfNotExists()).succeeded, true);
    await rejectsWithShareError(share.getDirectoryClient("no/such/parent").create(), {
      status: 404,
      code: "ParentNotFound",
    });
    await rejectsWithShareError(share.getDirectoryClient("missing").getDirectoryProperties(), {
      status: 404,
      code: "ResourceNotFound",
    });
  });

  test("createSubdirectory, deleteSubdirectory, createFile, uploadFile, deleteFile", async () => {
    const dir = await share.createDirectory("helpers");
    const sub = await dir.createSubdirectory("sub", { metadata: { level: "2" } });
    assert.equal(sub.path, "helpers/sub");
    assert.deepEqual((await sub.getDirectoryProperties()).metadata, { level: "2" });
    const empty = await dir.createFile("empty.bin", 1024, { metadata: { made: "createFile" } });
    assert.equal(empty.path, "helpers/empty.bin");
    assert.equal((await empty.getFileProperties()).size, 1024);
    const uploaded = await dir.uploadFile("hello.txt", "hello, directory");
    assert.equal((await (await uploaded.downloadFile()).readAll()).toString(), "hello, directory");
    assert.equal(dir.getFileClient("hello.txt").url, uploaded.url);

    await rejectsWithShareError(dir.delete(), { status: 409, code: "DirectoryNotEmpty" });
    await dir.deleteFile("hello.txt");
    await dir.deleteFile("empty.bin");
    await rejectsWithShareError(dir.deleteFile("empty.bin"), { status: 404, code: "ResourceNotFound" });
    await dir.deleteSubdirectory("sub");
    await dir.delete();
    assert.equal(await dir.exists(), false);
  });

  test("listDirectoriesAndFiles: kinds, sizes, prefix, include options, extended info", async () => {
    const dir = await share.createDirectory("listing");
    await dir.createSubdirectory("beta");
    await dir.createSubdirectory("alpha");
    await dir.uploadFile("a-file.txt", "12345");
    await dir.createFile("b-file.bin", 2048);

    const items = await collect(dir.listDirectoriesAndFiles());
    assert.deepEqual(
      items
        .map((item) => [item.kind, item.name, item.isDirectory])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
      [
        ["file", "a-file.txt", false],
        ["directory", "alpha", true],
        ["file", "b-file.bin", false],
        ["directory", "beta", true],
      ],
    );
    // The official SDK sees the same entries (it groups files before directories, so compare sets).
    const official: string[] = [];
    const azureDir = azureService(ts).getShareClient(share.name).getDirectoryClient("listing");
    for await (const item of azureDir.listFilesAndDirectories()) official.push(`${item.kind}:${item.name}`);
    assert.deepEqual(items.map((item) => `${item.kind}:${item.name}`).sort(), official.sort());
    const sizes = Object.fromEntries(items.flatMap((i) => (i.kind === "file" ? [[i.name, i.size]] : [])));
    assert.deepEqual(sizes, { "a-file.txt": 5, "b-file.bin": 2048 });
    assert.equal(items[0]?.etag, undefined, "no ETag unless asked");

    const prefixed = await collect(dir.listDirectoriesAndFiles({ nameStartsWith: "a" }));
    assert.deepEqual(prefixed.map((i) => i.name).sort(), ["a-file.txt", "alpha"]);

    const detailed = await collect(
      dir.listDirectoriesAndFiles({
        include: ["timestamps", "etag", "attributes", "permissionKey"],
        includeExtendedInfo: true,
      }),
    );
    const file = detailed.find((i) => i.name === "a-file.txt");
    const properties = await dir.getFileClient("a-file.txt").getFileProperties();
    assert.equal(file?.etag, properties.etag);
    assert.equal(file?.fileId, properties.fileId);
    assert.equal(file?.fileAttributes, properties.fileAttributes);
    assert.equal(file?.filePermissionKey, properties.filePermissionKey);
    assert.equal(file?.creationTime?.getTime(), properties.creationTime?.getTime());
    assert.equal(file?.lastWriteTime?.getTime(), properties.lastWriteTime?.getTime());
    assert.ok(detailed.find((i) => i.name === "alpha")?.fileAttributes?.includes("Directory"));
  });

  test("listDirectoriesAndFiles().byPage(): pages, continuation tokens, resuming", async () => {
    const dir = await share.createDirectory("paged");
    const names = Array.from({ length: 11 }, (_, i) => `f${String(i).padStart(2, "0")}`);
    for (const name of names) await dir.createFile(name, 0);

    const pages: DirectoryListPage[] = await collect(
      dir.listDirectoriesAndFiles().byPage({ maxPageSize: 4 }),
    );
    assert.deepEqual(
      pages.map((p) => p.items.length),
      [4, 4, 3],
    );
    assert.deepEqual(
      pages.flatMap((p) => p.items.map((i) => i.name)),
      names,
    );
    assert.ok(pages[0]?.continuationToken);
    assert.equal(pages.at(-1)?.continuationToken, undefined);

    const resumed = await collect(
      dir
        .listDirectoriesAndFiles()
        .byPage({ continuationToken: pages[1]?.continuationToken, maxPageSize: 100 }),
    );
    assert.deepEqual(
      resumed.flatMap((p) => p.items.map((i) => i.name)),
      names.slice(8),
    );
    // Item iteration with a small page size still yields everything once.
    assert.deepEqual(
      (await collect(dir.listDirectoriesAndFiles({ maxPageSize: 3 }))).map((i) => i.name),
      names,
    );
  });
});
