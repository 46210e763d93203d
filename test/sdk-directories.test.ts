import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { FileSystemAttributes, type ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import { rejectsWith } from "./helpers/sdk-assertions.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let ts: TestServer;
let share: ShareClient;

before(async () => {
  ts = await startTestServer();
  share = ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(uniqueShareName());
  await share.create();
});
after(async () => ts.dispose());

describe("directories through the official SDK", () => {
  test("create, properties with SMB info and metadata, set metadata", async () => {
    const dir = share.getDirectoryClient("docs");
    const created = await dir.create({ metadata: { team: "blue" } });
    assert.ok(created.fileId);
    assert.ok(created.fileAttributes?.includes("Directory"));
    const props = await dir.getProperties();
    assert.deepEqual(props.metadata, { team: "blue" });
    assert.ok(props.filePermissionKey);
    assert.ok(props.fileCreatedOn instanceof Date);
    await dir.setMetadata({ team: "red" });
    assert.deepEqual((await dir.getProperties()).metadata, { team: "red" });
    assert.equal(await dir.exists(), true);
    assert.equal(await share.getDirectoryClient("nope").exists(), false);
  });

  test("set properties: attributes and times", async () => {
    const dir = share.getDirectoryClient("smb");
    await dir.create();
    const when = new Date("2024-05-06T07:08:09.123Z");
    await dir.setProperties({
      fileAttributes: FileSystemAttributes.parse("Hidden"),
      creationTime: when,
      lastWriteTime: when,
    });
    const props = await dir.getProperties();
    assert.ok(props.fileAttributes?.includes("Hidden"));
    assert.ok(props.fileAttributes?.includes("Directory"));
    assert.equal(props.fileCreatedOn?.toISOString(), when.toISOString());
    await rejectsWith(
      dir.setProperties({ fileAttributes: "Bogus" as unknown as FileSystemAttributes }),
      400,
      "InvalidHeaderValue",
    );
  });

  test("nested create needs the parent: 404 ParentNotFound", async () => {
    await rejectsWith(share.getDirectoryClient("missing/child").create(), 404, "ParentNotFound");
    await share.getDirectoryClient("a").create();
    await share.getDirectoryClient("a/b").create();
    await share.getDirectoryClient("a/b/c").create();
    assert.equal(await share.getDirectoryClient("a/b/c").exists(), true);
    await rejectsWith(share.getDirectoryClient("a").create(), 409, "ResourceAlreadyExists");
    await rejectsWith(share.getDirectoryClient("A").create(), 409, "ResourceAlreadyExists");
  });

  test("delete only when empty: 409 DirectoryNotEmpty", async () => {
    const dir = share.getDirectoryClient("full");
    await dir.create();
    await dir.createFile("f.txt", 1);
    await rejectsWith(dir.delete(), 409, "DirectoryNotEmpty");
    await dir.deleteFile("f.txt");
    await dir.delete();
    assert.equal(await dir.exists(), false);
    await rejectsWith(dir.delete(), 404, "ResourceNotFound");
  });

  test("invalid names get 400", async () => {
    for (const bad of ["a<b", "a|b", "a:b", "trailing.", "a*"]) {
      await rejectsWith(share.getDirectoryClient(bad).create(), 400, "InvalidResourceName");
    }
  });

  test("a file is not a directory: properties 404", async () => {
    await share.rootDirectoryClient.createFile("plain.txt", 3);
    await rejectsWith(share.getDirectoryClient("plain.txt").getProperties(), 404, "ResourceNotFound");
  });

  test("list: files and directories with sizes, prefix, pagination, include", async () => {
    const dir = share.getDirectoryClient("listing");
    await dir.create();
    for (let i = 0; i < 5; i++) await dir.createFile(`file-${i}.txt`, i * 10);
    for (let i = 0; i < 3; i++) await dir.createSubdirectory(`sub-${i}`);
    const files: Array<{ name: string; size: number }> = [];
    const dirs: string[] = [];
    let pages = 0;
    for await (const page of dir.listFilesAndDirectories().byPage({ maxPageSize: 3 })) {
      pages += 1;
      for (const f of page.segment.fileItems) files.push({ name: f.name, size: f.properties.contentLength });
      for (const d of page.segment.directoryItems) dirs.push(d.name);
    }
    assert.equal(pages, 3);
    assert.deepEqual(
      files,
      [0, 1, 2, 3, 4].map((i) => ({ name: `file-${i}.txt`, size: i * 10 })),
    );
    assert.deepEqual(dirs, ["sub-0", "sub-1", "sub-2"]);

    const withPrefix: string[] = [];
    for await (const item of dir.listFilesAndDirectories({ prefix: "sub" })) withPrefix.push(item.name);
    assert.deepEqual(withPrefix, ["sub-0", "sub-1", "sub-2"]);

    const detailed = await dir
      .listFilesAndDirectories({
        includeTimestamps: true,
        includeEtag: true,
        includeAttributes: true,
        includePermissionKey: true,
        includeExtendedInfo: true,
      })
      .byPage()
      .next();
    const first = detailed.value.segment.fileItems[0];
    assert.ok(first.fileId);
    assert.ok(first.properties.etag);
    assert.ok(first.properties.creationTime instanceof Date);
    assert.ok(first.attributes);
    assert.ok(first.permissionKey);
  });

  test("list a missing directory: 404", async () => {
    const it = share.getDirectoryClient("ghost").listFilesAndDirectories().byPage();
    await rejectsWith(it.next(), 404, "ResourceNotFound");
  });

  test("handles: none open, force close closes 0", async () => {
    const dir = share.getDirectoryClient("handles");
    await dir.create();
    const handles = [];
    for await (const h of dir.listHandles()) handles.push(h);
    assert.equal(handles.length, 0);
    const closed = await dir.forceCloseAllHandles();
    assert.equal(closed.closedHandlesCount, 0);
  });
});

describe("permissions through the official SDK", () => {
  test("create a permission, read it back by key, use it on a file", async () => {
    const sddl = "O:S-1-5-21-1-2-3-500G:S-1-5-21-1-2-3-513D:(A;;FA;;;SY)";
    const { filePermissionKey } = await share.createPermission(sddl);
    assert.ok(filePermissionKey);
    const got = await share.getPermission(filePermissionKey as string);
    assert.equal(got.permission, sddl);
    const { fileClient } = await share.rootDirectoryClient.createFile("perm.txt", 1, { filePermissionKey });
    assert.equal((await fileClient.getProperties()).filePermissionKey, filePermissionKey);
  });
});
