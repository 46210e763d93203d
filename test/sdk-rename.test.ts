/**
 * Rename File and Rename Directory through the official SDK (and hand-signed requests for what the
 * SDK cannot send): moves within a share, SMB properties and metadata on the destination,
 * replace / read-only rules, source and destination leases, SAS sources, and the JS SDK's
 * path-style rename (its destination URL loses the account segment).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  FileSystemAttributes,
  type ShareClient,
  type ShareDirectoryClient,
  type ShareFileClient,
  ShareSASPermissions,
  ShareServiceClient,
} from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import { signedRequest } from "./helpers/raw-request.js";
import { rejectsWith } from "./helpers/sdk-assertions.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const A = "aaaaaaaa-1111-4111-8111-00000000000a";
const B = "bbbbbbbb-2222-4222-8222-00000000000b";

let ts: TestServer;
let service: ShareServiceClient;

before(async () => {
  ts = await startTestServer();
  service = ShareServiceClient.fromConnectionString(ts.connectionString);
});
after(async () => ts.dispose());

async function newShare(): Promise<ShareClient> {
  const share = service.getShareClient(uniqueShareName("rename"));
  await share.create();
  return share;
}

async function fileWith(dir: ShareDirectoryClient, name: string, text: string): Promise<ShareFileClient> {
  const file = dir.getFileClient(name);
  await file.uploadData(Buffer.from(text));
  return file;
}

const text = async (file: ShareFileClient) => (await file.downloadToBuffer()).toString();

/** A hand-signed rename: `path` is below the account, `source` is the header value. */
function rawRename(path: string, source: string | undefined, headers: Record<string, string> = {}) {
  return signedRequest({
    method: "PUT",
    url: `${ts.accountUrl}/${path}${path.includes("?") ? "&" : "?"}comp=rename`,
    accountName: ts.accountName,
    accountKey: ts.accountKey,
    headers: { ...(source !== undefined ? { "x-ms-file-rename-source": source } : {}), ...headers },
  });
}

describe("Rename File", () => {
  test("moves the file: content, metadata, FileId and lease-free state travel; the source is gone", async () => {
    const share = await newShare();
    const dir = share.getDirectoryClient("d");
    await dir.create();
    await share.getDirectoryClient("e").create();
    const file = await fileWith(dir, "a.txt", "hello rename");
    await file.setMetadata({ k: "v" });
    const before = await file.getProperties();

    const { destinationFileClient, fileRenameResponse } = await file.rename("e/b.txt");
    assert.equal(fileRenameResponse._response.status, 200);
    assert.equal(fileRenameResponse.fileId, before.fileId);
    assert.notEqual(fileRenameResponse.etag, before.etag);
    assert.ok(fileRenameResponse.fileChangeTime);

    const moved = share.getDirectoryClient("e").getFileClient("b.txt");
    assert.equal(await text(moved), "hello rename");
    const props = await moved.getProperties();
    assert.deepEqual(props.metadata, { k: "v" });
    assert.equal(props.fileId, before.fileId);
    assert.equal(props.fileCreatedOn?.getTime(), before.fileCreatedOn?.getTime());
    assert.equal(await text(destinationFileClient), "hello rename");
    await rejectsWith(file.getProperties(), 404, "ResourceNotFound");
  });

  test("the JS SDK's path-style rename drops the account segment, and the server still serves it", async () => {
    const share = await newShare();
    const file = await fileWith(share.rootDirectoryClient, "src.txt", "path style");
    assert.ok(new URL(file.url).pathname.startsWith(`/${ts.accountName}/`), "the source URL is path-style");
    const { destinationFileClient } = await file.rename("dst.txt");
    // The SDK rebuilt the destination from "/<share>/<path>": no account segment.
    assert.equal(new URL(destinationFileClient.url).pathname, `/${share.name}/dst.txt`);
    // The account-less path went to the default account, where path-style clients find the file.
    assert.equal(await text(share.rootDirectoryClient.getFileClient("dst.txt")), "path style");
    assert.equal(await text(destinationFileClient), "path style");
    await rejectsWith(file.getProperties(), 404, "ResourceNotFound");
  });

  test("SMB properties, metadata and content type given with the rename land on the destination", async () => {
    const share = await newShare();
    const file = await fileWith(share.rootDirectoryClient, "props.txt", "x");
    await file.setMetadata({ old: "1" });
    await file.setHttpHeaders({ fileContentType: "text/plain" });
    const created = new Date("2024-05-06T07:08:09.123Z");
    const written = new Date("2024-05-07T07:08:09.456Z");
    const { fileRenameResponse } = await file.rename("props2.txt", {
      metadata: { fresh: "yes" },
      contentType: "application/json",
      copyFileSmbInfo: {
        fileAttributes: "ReadOnly|Hidden",
        fileCreationTime: created.toISOString(),
        fileLastWriteTime: written.toISOString(),
      },
    });
    const props = await share.rootDirectoryClient.getFileClient("props2.txt").getProperties();
    assert.deepEqual(props.metadata, { fresh: "yes" });
    assert.equal(props.contentType, "application/json");
    assert.equal(props.fileCreatedOn?.toISOString(), created.toISOString());
    assert.equal(props.fileLastWriteOn?.toISOString(), written.toISOString());
    const attrs = FileSystemAttributes.parse(props.fileAttributes ?? "");
    assert.ok(attrs.readonly && attrs.hidden, props.fileAttributes);
    assert.equal(fileRenameResponse.fileAttributes, props.fileAttributes);
  });

  test("without rename options metadata, content type and times are kept; the change time moves", async () => {
    const share = await newShare();
    const file = await fileWith(share.rootDirectoryClient, "keep.txt", "x");
    await file.setMetadata({ m: "1" });
    await file.setHttpHeaders({ fileContentType: "text/csv" });
    const before = await file.getProperties();
    await new Promise((r) => setTimeout(r, 5));
    await file.rename("kept.txt");
    const after = await share.rootDirectoryClient.getFileClient("kept.txt").getProperties();
    assert.deepEqual(after.metadata, { m: "1" });
    assert.equal(after.contentType, "text/csv");
    assert.equal(after.fileCreatedOn?.getTime(), before.fileCreatedOn?.getTime());
    assert.equal(after.fileLastWriteOn?.getTime(), before.fileLastWriteOn?.getTime());
    assert.equal(after.filePermissionKey, before.filePermissionKey);
    assert.ok((after.fileChangeOn?.getTime() ?? 0) > (before.fileChangeOn?.getTime() ?? 0));
  });

  test("a case-only rename keeps the file and takes the new spelling", async () => {
    const share = await newShare();
    const file = await fileWith(share.rootDirectoryClient, "case.txt", "c");
    await file.rename("CASE.txt");
    const names: string[] = [];
    for await (const item of share.rootDirectoryClient.listFilesAndDirectories()) names.push(item.name);
    assert.deepEqual(names, ["CASE.txt"]);
  });

  test("an existing destination: 409 without replace, replaced with it", async () => {
    const share = await newShare();
    const root = share.rootDirectoryClient;
    const src = await fileWith(root, "one.txt", "first");
    await fileWith(root, "two.txt", "second, longer");
    await rejectsWith(src.rename("two.txt"), 409, "ResourceAlreadyExists");
    await rejectsWith(src.rename("two.txt", { replaceIfExists: false }), 409, "ResourceAlreadyExists");
    await src.rename("two.txt", { replaceIfExists: true });
    assert.equal(await text(root.getFileClient("two.txt")), "first");
    await rejectsWith(src.getProperties(), 404, "ResourceNotFound");
  });

  test("a ReadOnly destination: 409 ReadOnlyAttribute unless ignore-readonly", async () => {
    const share = await newShare();
    const root = share.rootDirectoryClient;
    const src = await fileWith(root, "src.txt", "new");
    const dst = root.getFileClient("ro.txt");
    await dst.create(3, { fileAttributes: FileSystemAttributes.parse("ReadOnly") });
    await rejectsWith(src.rename("ro.txt"), 409, "ResourceAlreadyExists");
    await rejectsWith(src.rename("ro.txt", { replaceIfExists: true }), 409, "ReadOnlyAttribute");
    await src.rename("ro.txt", { replaceIfExists: true, ignoreReadOnly: true });
    assert.equal(await text(dst), "new");
  });

  test("a file never replaces a directory (409 ResourceTypeMismatch)", async () => {
    const share = await newShare();
    const src = await fileWith(share.rootDirectoryClient, "f.txt", "f");
    await share.getDirectoryClient("taken").create();
    await rejectsWith(src.rename("taken"), 409, "ResourceAlreadyExists");
    await rejectsWith(src.rename("taken", { replaceIfExists: true }), 409, "ResourceTypeMismatch");
    assert.equal(await text(src), "f");
  });

  test("404s: a missing source, a missing destination parent", async () => {
    const share = await newShare();
    const ghost = share.rootDirectoryClient.getFileClient("ghost.txt");
    await rejectsWith(ghost.rename("x.txt"), 404, "ResourceNotFound");
    const src = await fileWith(share.rootDirectoryClient, "real.txt", "r");
    await rejectsWith(src.rename("no/such/dir/x.txt"), 404, "ParentNotFound");
    // A directory is no file: Rename File on a directory's URL finds no file.
    await share.getDirectoryClient("adir").create();
    await rejectsWith(share.rootDirectoryClient.getFileClient("adir").rename("b"), 404, "ResourceNotFound");
  });

  test("source lease: missing or wrong id is 412, the right id moves the file and the lease with it", async () => {
    const share = await newShare();
    const src = await fileWith(share.rootDirectoryClient, "leased.txt", "L");
    await src.getShareLeaseClient(A).acquireLease();
    await rejectsWith(src.rename("moved.txt"), 412, "LeaseIdMissing");
    await rejectsWith(
      src.rename("moved.txt", { sourceLeaseAccessConditions: { leaseId: B } }),
      412,
      "LeaseIdMismatchWithFileOperation",
    );
    await src.rename("moved.txt", { sourceLeaseAccessConditions: { leaseId: A } });
    const props = await share.rootDirectoryClient.getFileClient("moved.txt").getProperties();
    assert.equal(props.leaseState, "leased");
    // The lease still guards the file at its new name.
    await rejectsWith(
      share.rootDirectoryClient.getFileClient("moved.txt").setMetadata({ a: "b" }),
      412,
      "LeaseIdMissing",
    );
  });

  test("destination lease: required on a leased destination; an id for an unleased or absent one is 412", async () => {
    const share = await newShare();
    const root = share.rootDirectoryClient;
    const src = await fileWith(root, "s.txt", "S");
    const dst = await fileWith(root, "d.txt", "D");
    await dst.getShareLeaseClient(B).acquireLease();
    await rejectsWith(src.rename("d.txt", { replaceIfExists: true }), 412, "LeaseIdMissing");
    await rejectsWith(
      src.rename("d.txt", { replaceIfExists: true, destinationLeaseAccessConditions: { leaseId: A } }),
      412,
      "LeaseIdMismatchWithFileOperation",
    );
    // The lease check comes before the existence check.
    await rejectsWith(src.rename("d.txt"), 412, "LeaseIdMissing");
    await src.rename("d.txt", { replaceIfExists: true, destinationLeaseAccessConditions: { leaseId: B } });
    assert.equal(await text(root.getFileClient("d.txt")), "S");

    const other = await fileWith(root, "o.txt", "O");
    const unleased = await fileWith(root, "u.txt", "U");
    await rejectsWith(
      other.rename("u.txt", { replaceIfExists: true, destinationLeaseAccessConditions: { leaseId: A } }),
      412,
      "LeaseNotPresentWithFileOperation",
    );
    await rejectsWith(
      other.rename("absent.txt", { destinationLeaseAccessConditions: { leaseId: A } }),
      412,
      "LeaseNotPresentWithFileOperation",
    );
    assert.equal(await text(unleased), "U");
    assert.equal(await text(other), "O");
  });

  test("a rename source in another share, on another host or in a snapshot is refused", async () => {
    const share = await newShare();
    const other = await newShare();
    const foreign = await fileWith(other.rootDirectoryClient, "f.txt", "F");
    const dst = `${share.name}/x.txt`;
    const inOtherShare = await rawRename(dst, foreign.url);
    assert.equal(inOtherShare.status, 400);
    assert.equal(inOtherShare.headers.get("x-ms-error-code"), "InvalidHeaderValue");
    const remote = await rawRename(dst, `https://elsewhere.example/${share.name}/f.txt`);
    assert.equal(remote.status, 400);
    assert.equal(remote.headers.get("x-ms-error-code"), "InvalidHeaderValue");
    const snapshot = await share.createSnapshot();
    const inSnapshot = await rawRename(
      dst,
      `${ts.accountUrl}/${share.name}/f.txt?sharesnapshot=${encodeURIComponent(snapshot.snapshot ?? "")}`,
    );
    assert.equal(inSnapshot.status, 400);
    assert.equal(inSnapshot.headers.get("x-ms-error-code"), "ShareSnapshotOperationNotSupported");
    assert.equal(await text(foreign), "F");
  });

  test("header validation: a missing source, a bad boolean; an absolute path works as the source", async () => {
    const share = await newShare();
    const src = await fileWith(share.rootDirectoryClient, "p.txt", "P");
    const missing = await rawRename(`${share.name}/x.txt`, undefined);
    assert.equal(missing.status, 400);
    assert.equal(missing.headers.get("x-ms-error-code"), "MissingRequiredHeader");
    const bad = await rawRename(`${share.name}/x.txt`, src.url, {
      "x-ms-file-rename-replace-if-exists": "yes",
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get("x-ms-error-code"), "InvalidHeaderValue");
    const byPath = await rawRename(`${share.name}/x.txt`, `/${ts.accountName}/${share.name}/p.txt`);
    assert.equal(byPath.status, 200, byPath.body);
    assert.ok(byPath.headers.get("x-ms-file-id"));
    assert.equal(await text(share.rootDirectoryClient.getFileClient("x.txt")), "P");
  });

  test("with a share SAS: the source URL's own SAS is verified and must grant write", async () => {
    const share = await newShare();
    const sasUrl = (permissions: string) =>
      share.generateSasUrl({
        permissions: ShareSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + 3600_000),
      });
    const [rcw, readOnly] = await Promise.all([sasUrl("rcw"), sasUrl("r")]);
    const sasQuery = new URL(rcw).search.slice(1);
    const sasShare = new ShareServiceClient(`${ts.accountUrl}?${sasQuery}`).getShareClient(share.name);
    const src = sasShare.rootDirectoryClient.getFileClient("sas.txt");
    await src.uploadData(Buffer.from("via sas"));
    await src.rename(`renamed.txt?${sasQuery}`);
    assert.equal(await text(share.rootDirectoryClient.getFileClient("renamed.txt")), "via sas");

    // A source URL whose SAS lacks "w" cannot be renamed away, even by the account key.
    const readQuery = new URL(readOnly).search.slice(1);
    const source = `${ts.accountUrl}/${share.name}/renamed.txt?${readQuery}`;
    const refused = await rawRename(`${share.name}/again.txt`, source);
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get("x-ms-error-code"), "AuthorizationPermissionMismatch");
    assert.equal(await text(share.rootDirectoryClient.getFileClient("renamed.txt")), "via sas");
  });
});

describe("Rename Directory", () => {
  test("moves a directory with its subtree by re-parenting it; both places list as they should", async () => {
    const share = await newShare();
    const root = share.rootDirectoryClient;
    const top = root.getDirectoryClient("top");
    await top.create({ metadata: { tag: "t" } });
    const sub = top.getDirectoryClient("sub");
    await sub.create();
    await fileWith(top, "a.txt", "A");
    await fileWith(sub, "deep.txt", "DEEP");
    await root.getDirectoryClient("target").create();
    const before = await top.getProperties();

    const { destinationDirectoryClient } = await top.rename("target/moved");
    assert.equal(new URL(destinationDirectoryClient.url).pathname, `/${share.name}/target/moved`);

    const list = async (dir: ShareDirectoryClient) => {
      const names: string[] = [];
      for await (const item of dir.listFilesAndDirectories()) names.push(`${item.kind}:${item.name}`);
      return names.sort();
    };
    const moved = root.getDirectoryClient("target").getDirectoryClient("moved");
    assert.deepEqual(await list(moved), ["directory:sub", "file:a.txt"]);
    assert.deepEqual(await list(moved.getDirectoryClient("sub")), ["file:deep.txt"]);
    assert.deepEqual(await list(root), ["directory:target"]);
    assert.deepEqual(await list(root.getDirectoryClient("target")), ["directory:moved"]);
    await rejectsWith(list(top), 404, "ResourceNotFound");
    await rejectsWith(sub.getFileClient("deep.txt").getProperties(), 404, "ParentNotFound");
    assert.equal(await text(moved.getDirectoryClient("sub").getFileClient("deep.txt")), "DEEP");
    const props = await moved.getProperties();
    assert.equal(props.fileId, before.fileId);
    assert.deepEqual(props.metadata, { tag: "t" });
  });

  test("a directory cannot move into itself or below itself (400 InvalidInput)", async () => {
    const share = await newShare();
    const dir = share.getDirectoryClient("loop");
    await dir.create();
    await dir.getDirectoryClient("child").create();
    await rejectsWith(dir.rename("loop/inside"), 400, "InvalidInput");
    await rejectsWith(dir.rename("loop/child/deeper"), 400, "InvalidInput");
    // The same path is no move: it succeeds and changes nothing.
    await dir.rename("loop");
    assert.ok((await dir.getProperties()).fileId);
  });

  test("ParentNotFound, a missing source, and SMB properties and metadata on the destination", async () => {
    const share = await newShare();
    const dir = share.getDirectoryClient("d1");
    await dir.create({ metadata: { a: "1" } });
    await rejectsWith(dir.rename("nope/d2"), 404, "ParentNotFound");
    await rejectsWith(share.getDirectoryClient("ghost").rename("d3"), 404, "ResourceNotFound");
    const created = new Date("2023-03-31T21:05:00.000Z");
    await dir.rename("d2", {
      metadata: { b: "2" },
      copyFileSmbInfo: { fileAttributes: "Hidden", fileCreationTime: created.toISOString() },
    });
    const props = await share.getDirectoryClient("d2").getProperties();
    assert.deepEqual(props.metadata, { b: "2" });
    assert.equal(props.fileCreatedOn?.toISOString(), created.toISOString());
    const attrs = FileSystemAttributes.parse(props.fileAttributes ?? "");
    assert.ok(attrs.hidden && attrs.directory, props.fileAttributes);
  });

  test("existing destinations: a directory is never replaced; a file is, unless ReadOnly or leased", async () => {
    const share = await newShare();
    const root = share.rootDirectoryClient;
    const dir = root.getDirectoryClient("mover");
    await dir.create();
    await fileWith(dir, "inside.txt", "I");
    await root.getDirectoryClient("otherdir").create();
    await rejectsWith(dir.rename("otherdir"), 409, "ResourceAlreadyExists");
    await rejectsWith(dir.rename("otherdir", { replaceIfExists: true }), 409, "ResourceAlreadyExists");

    const ro = root.getFileClient("rofile");
    await ro.create(1, { fileAttributes: FileSystemAttributes.parse("ReadOnly") });
    await rejectsWith(dir.rename("rofile"), 409, "ResourceAlreadyExists");
    await rejectsWith(dir.rename("rofile", { replaceIfExists: true }), 409, "ReadOnlyAttribute");

    const leased = await fileWith(root, "leasedfile", "x");
    await leased.getShareLeaseClient(A).acquireLease();
    await rejectsWith(dir.rename("leasedfile", { replaceIfExists: true }), 412, "LeaseIdMissing");

    await dir.rename("rofile", { replaceIfExists: true, ignoreReadOnly: true });
    const replaced = root.getDirectoryClient("rofile");
    assert.equal(await text(replaced.getFileClient("inside.txt")), "I");
    assert.equal((await replaced.getProperties()).fileAttributes?.includes("Directory"), true);
  });
});
