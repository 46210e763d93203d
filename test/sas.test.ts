import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AccountSASPermissions,
  FileSASPermissions,
  generateAccountSASQueryParameters,
  generateFileSASQueryParameters,
  type RestError,
  SASProtocol,
  type ShareClient,
  ShareClient as ShareClientCtor,
  ShareFileClient,
  ShareSASPermissions,
  ShareServiceClient,
  StorageSharedKeyCredential,
} from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let ts: TestServer;
let service: ShareServiceClient;
let credential: StorageSharedKeyCredential;
let share: ShareClient;
let other: ShareClient;

const HOUR = 3600_000;

/** An access policy; the SDK's type wants start and expiry although the service (and SDK) take either alone. */
const policy = (p: { permissions?: string; startsOn?: Date; expiresOn?: Date }) =>
  p as { permissions: string; startsOn: Date; expiresOn: Date };
const later = () => new Date(Date.now() + HOUR);
const content = Buffer.from("hello through a shared access signature\n");

before(async () => {
  ts = await startTestServer();
  service = ShareServiceClient.fromConnectionString(ts.connectionString);
  credential = new StorageSharedKeyCredential(ts.accountName, ts.accountKey);
  share = service.getShareClient(uniqueShareName("sas"));
  other = service.getShareClient(uniqueShareName("sas-other"));
  await share.create();
  await other.create();
  const dir = share.getDirectoryClient("docs");
  await dir.create();
  await dir.getFileClient("a.txt").uploadData(content);
  await dir.getFileClient("b.txt").uploadData(Buffer.from("sibling"));
  await other.rootDirectoryClient.getFileClient("x.txt").uploadData(Buffer.from("other share"));
});
after(async () => ts.dispose());

async function refused(promise: Promise<unknown>, code: string, status = 403): Promise<void> {
  await assert.rejects(promise, (err: RestError) => {
    assert.equal(err.statusCode, status, `status of ${err.message}`);
    assert.equal(err.code ?? (err.response?.headers.get("x-ms-error-code") as string), code);
    return true;
  });
}

async function text(file: ShareFileClient): Promise<string> {
  return (await file.downloadToBuffer()).toString("utf8");
}

const fileA = () => share.getDirectoryClient("docs").getFileClient("a.txt");
const shareSasUrl = (permissions: string, extra: Record<string, unknown> = {}) =>
  share.generateSasUrl({ permissions: ShareSASPermissions.parse(permissions), expiresOn: later(), ...extra });
const fileSasUrl = (file: ShareFileClient, permissions: string, extra: Record<string, unknown> = {}) =>
  file.generateSasUrl({ permissions: FileSASPermissions.parse(permissions), expiresOn: later(), ...extra });
/** A client for a path inside the share addressed through a share SAS URL. */
const viaShareSas = (url: string) => new ShareClientCtor(url);
const accountSas = (fields: {
  permissions: string;
  resourceTypes: string;
  services?: string;
  version?: string;
}) =>
  generateAccountSASQueryParameters(
    {
      permissions: AccountSASPermissions.parse(fields.permissions),
      services: fields.services ?? "f",
      resourceTypes: fields.resourceTypes,
      expiresOn: later(),
      ...(fields.version ? { version: fields.version } : {}),
    },
    credential,
  ).toString();

describe("SAS accepted for what it allows", () => {
  test("a read-only file SAS reads the file (download and properties)", async () => {
    const file = new ShareFileClient(fileSasUrl(fileA(), "r"));
    assert.equal(await text(file), content.toString());
    assert.equal((await file.getProperties()).contentLength, content.length);
  });

  test("a share SAS with l lists the share and its directories", async () => {
    const client = viaShareSas(shareSasUrl("l"));
    const names: string[] = [];
    for await (const item of client.getDirectoryClient("docs").listFilesAndDirectories())
      names.push(item.name);
    assert.deepEqual(names.sort(), ["a.txt", "b.txt"]);
    const root: string[] = [];
    for await (const item of client.rootDirectoryClient.listFilesAndDirectories()) root.push(item.name);
    assert.deepEqual(root, ["docs"]);
  });

  test("a share SAS with cw uploads new files and overwrites existing ones", async () => {
    const client = viaShareSas(shareSasUrl("cw"));
    const file = client.getDirectoryClient("docs").getFileClient("upload.txt");
    await file.uploadData(Buffer.from("first"));
    await file.uploadData(Buffer.from("second"));
    assert.equal(await text(share.getDirectoryClient("docs").getFileClient("upload.txt")), "second");
    await client.getDirectoryClient("made-by-sas").create();
    assert.equal(await share.getDirectoryClient("made-by-sas").exists(), true);
  });

  test("c alone creates a new file but may not replace an existing one", async () => {
    const client = viaShareSas(shareSasUrl("c"));
    const fresh = client.rootDirectoryClient.getFileClient("create-only.txt");
    await fresh.create(10);
    await refused(fresh.create(10), "AuthorizationPermissionMismatch");
  });

  test("a share SAS with d deletes files", async () => {
    await share.rootDirectoryClient.getFileClient("doomed.txt").create(1);
    const client = viaShareSas(shareSasUrl("d"));
    await client.rootDirectoryClient.getFileClient("doomed.txt").delete();
    assert.equal(await share.rootDirectoryClient.getFileClient("doomed.txt").exists(), false);
  });

  test("an account SAS (srt=s, l) lists shares", async () => {
    const sasService = new ShareServiceClient(
      `${ts.accountUrl}?${accountSas({ permissions: "l", resourceTypes: "s" })}`,
    );
    const names: string[] = [];
    for await (const item of sasService.listShares()) names.push(item.name);
    assert.ok(names.includes(share.name) && names.includes(other.name), names.join(","));
    const viaHelper = new ShareServiceClient(
      service.generateAccountSasUrl(later(), AccountSASPermissions.parse("l"), "s"),
    );
    assert.ok((await viaHelper.listShares().byPage().next()).value.shareItems.length >= 2);
  });

  test("an account SAS with srt=c manages shares (create, metadata, delete); srt=o reads files", async () => {
    const sas = accountSas({ permissions: "rwdlc", resourceTypes: "c" });
    const name = uniqueShareName("sas-made");
    const client = new ShareClientCtor(`${ts.accountUrl}/${name}?${sas}`);
    await client.create();
    await client.setMetadata({ by: "sas" });
    assert.deepEqual((await client.getProperties()).metadata, { by: "sas" });
    await client.delete();
    const objects = new ShareServiceClient(
      `${ts.accountUrl}?${accountSas({ permissions: "r", resourceTypes: "o" })}`,
    );
    assert.equal(
      await text(objects.getShareClient(share.name).getDirectoryClient("docs").getFileClient("a.txt")),
      content.toString(),
    );
  });

  test("rscc / rsct / rscd overrides are visible on download", async () => {
    const url = fileSasUrl(fileA(), "r", {
      cacheControl: "no-store",
      contentType: "text/csv",
      contentDisposition: 'attachment; filename="report.csv"',
      contentLanguage: "en-GB",
    });
    const res = await new ShareFileClient(url).download();
    assert.equal(res.cacheControl, "no-store");
    assert.equal(res.contentType, "text/csv");
    assert.equal(res.contentDisposition, 'attachment; filename="report.csv"');
    assert.equal(res.contentLanguage, "en-GB");
    // Without overrides the stored headers come back.
    const plain = await fileA().download();
    assert.notEqual(plain.contentType, "text/csv");
    assert.equal(plain.cacheControl, undefined);
  });

  test("a SAS download link works without x-ms-version (plain fetch)", async () => {
    const res = await fetch(fileSasUrl(fileA(), "r"));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), content.toString());
  });

  test("Lease File works with a file SAS that can write it; Lease Share needs more than a service SAS", async () => {
    const file = share.rootDirectoryClient.getFileClient("leased-by-sas.txt");
    await file.create(4);
    const sasFile = new ShareFileClient(fileSasUrl(file, "rw"));
    const lease = sasFile.getShareLeaseClient();
    await lease.acquireLease();
    await lease.releaseLease();
    await refused(
      viaShareSas(shareSasUrl("rcwdl")).getShareLeaseClient().acquireLease(20),
      "AuthorizationPermissionMismatch",
    );
    const byAccount = new ShareClientCtor(
      `${share.url}?${accountSas({ permissions: "w", resourceTypes: "c" })}`,
    );
    const shareLease = byAccount.getShareLeaseClient();
    await shareLease.acquireLease(20);
    await shareLease.releaseLease();
  });

  for (const version of ["2015-04-05", "2019-12-12", "2020-12-06", "2026-06-06"]) {
    test(`SDK SAS signed as sv=${version} are accepted (account and file)`, async () => {
      const sasService = new ShareServiceClient(
        `${ts.accountUrl}?${accountSas({ permissions: "l", resourceTypes: "s", version })}`,
      );
      await sasService.listShares().byPage().next();
      const fileSas = generateFileSASQueryParameters(
        {
          version,
          shareName: share.name,
          filePath: "docs/a.txt",
          permissions: FileSASPermissions.parse("r"),
          expiresOn: later(),
        },
        credential,
      ).toString();
      assert.equal(await text(new ShareFileClient(`${fileA().url}?${fileSas}`)), content.toString());
    });
  }
});

describe("SAS refused with Azure's code", () => {
  test("expired: 403 AuthenticationFailed", async () => {
    const url = fileA().generateSasUrl({
      permissions: FileSASPermissions.parse("r"),
      startsOn: new Date(Date.now() - 2 * HOUR),
      expiresOn: new Date(Date.now() - HOUR),
    });
    await refused(new ShareFileClient(url).download(), "AuthenticationFailed");
  });

  test("not yet valid: 403 AuthenticationFailed", async () => {
    const url = fileSasUrl(fileA(), "r", {
      startsOn: new Date(Date.now() + HOUR),
      expiresOn: new Date(Date.now() + 2 * HOUR),
    });
    await refused(new ShareFileClient(url).download(), "AuthenticationFailed");
  });

  test("missing permission: 403 AuthorizationPermissionMismatch", async () => {
    const readOnly = new ShareFileClient(fileSasUrl(fileA(), "r"));
    await refused(readOnly.uploadRange(Buffer.from("x"), 0, 1), "AuthorizationPermissionMismatch");
    await refused(readOnly.delete(), "AuthorizationPermissionMismatch");
    const listOnly = viaShareSas(shareSasUrl("l"));
    await refused(
      listOnly.getDirectoryClient("docs").getFileClient("a.txt").downloadToBuffer(),
      "AuthorizationPermissionMismatch",
    );
    await refused(
      viaShareSas(shareSasUrl("rcwl")).rootDirectoryClient.getFileClient("x").delete(),
      "AuthorizationPermissionMismatch",
    );
    // A share SAS never manages the share itself.
    await refused(
      viaShareSas(shareSasUrl("rcwdl")).setMetadata({ a: "b" }),
      "AuthorizationPermissionMismatch",
    );
    await refused(viaShareSas(shareSasUrl("rcwdl")).delete(), "AuthorizationPermissionMismatch");
  });

  test("wrong resource type: 403 AuthorizationResourceTypeMismatch", async () => {
    const serviceOnly = new ShareServiceClient(
      `${ts.accountUrl}?${accountSas({ permissions: "rl", resourceTypes: "s" })}`,
    );
    const file = serviceOnly.getShareClient(share.name).getDirectoryClient("docs").getFileClient("a.txt");
    await refused(file.download(), "AuthorizationResourceTypeMismatch");
    const objectsOnly = new ShareServiceClient(
      `${ts.accountUrl}?${accountSas({ permissions: "rl", resourceTypes: "o" })}`,
    );
    await refused(objectsOnly.listShares().byPage().next(), "AuthorizationResourceTypeMismatch");
  });

  test("wrong service (ss without f): 403 AuthorizationServiceMismatch", async () => {
    const blobOnly = new ShareServiceClient(
      `${ts.accountUrl}?${accountSas({ permissions: "l", resourceTypes: "s", services: "bq" })}`,
    );
    await refused(blobOnly.listShares().byPage().next(), "AuthorizationServiceMismatch");
  });

  test("another share: 403 AuthenticationFailed", async () => {
    const url = shareSasUrl("rl").replace(`/${share.name}?`, `/${other.name}?`);
    assert.ok(url.includes(other.name));
    await refused(
      new ShareClientCtor(url).rootDirectoryClient.getFileClient("x.txt").downloadToBuffer(),
      "AuthenticationFailed",
    );
  });

  test("a sibling file: 403 AuthenticationFailed", async () => {
    const url = fileSasUrl(fileA(), "r").replace("/a.txt?", "/b.txt?");
    assert.ok(url.includes("/b.txt?"));
    await refused(new ShareFileClient(url).download(), "AuthenticationFailed");
  });

  test("a file SAS does not reach its share or directory: 403 AuthenticationFailed", async () => {
    const url = fileSasUrl(fileA(), "r").replace("/docs/a.txt?", "?restype=directory&comp=list&");
    const res = await fetch(url, { headers: { "x-ms-version": "2026-06-06" } });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get("x-ms-error-code"), "AuthenticationFailed");
    assert.match(await res.text(), /signed resource is not allowed/);
  });

  test("IP outside the range: 403 AuthorizationSourceIPMismatch; inside it is fine", async () => {
    const outside = fileSasUrl(fileA(), "r", { ipRange: { start: "10.1.0.1", end: "10.1.0.9" } });
    await refused(new ShareFileClient(outside).download(), "AuthorizationSourceIPMismatch");
    const inside = fileSasUrl(fileA(), "r", { ipRange: { start: "127.0.0.1" } });
    assert.equal(await text(new ShareFileClient(inside)), content.toString());
  });

  test("http with spr=https: 403 AuthorizationProtocolMismatch", async () => {
    const url = fileSasUrl(fileA(), "r", { protocol: SASProtocol.Https });
    await refused(new ShareFileClient(url).download(), "AuthorizationProtocolMismatch");
    const both = fileSasUrl(fileA(), "r", { protocol: SASProtocol.HttpsAndHttp });
    assert.equal(await text(new ShareFileClient(both)), content.toString());
  });

  test("tampered signature or permissions: 403 AuthenticationFailed with the string to sign", async () => {
    const url = new URL(fileSasUrl(fileA(), "r"));
    const sig = url.searchParams.get("sig") ?? "";
    url.searchParams.set("sig", `${sig.slice(0, -4)}AAA=`);
    await refused(new ShareFileClient(url.toString()).download(), "AuthenticationFailed");
    const widened = new URL(fileSasUrl(fileA(), "r"));
    widened.searchParams.set("sp", "rwd");
    const res = await fetch(widened, { method: "DELETE", headers: { "x-ms-version": "2026-06-06" } });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get("x-ms-error-code"), "AuthenticationFailed");
    const body = await res.text();
    assert.match(body, /<AuthenticationErrorDetail>Signature did not match\. String to sign used was rwd\n/);
    assert.equal(await fileA().exists(), true);
  });
});

describe("stored access policies", () => {
  test("Set / Get Share ACL round-trip with ETag and Last-Modified", async () => {
    const startsOn = new Date("2026-01-01T00:00:00Z");
    const expiresOn = new Date("2030-01-01T00:00:00Z");
    const set = await share.setAccessPolicy([
      { id: "readers", accessPolicy: policy({ permissions: "rl", startsOn, expiresOn }) },
      { id: "writers", accessPolicy: policy({ permissions: "cw" }) },
    ]);
    assert.ok(set.etag);
    assert.ok(set.lastModified);
    const got = await share.getAccessPolicy();
    assert.equal(got.etag, set.etag);
    assert.deepEqual(
      got.signedIdentifiers.map((s) => ({
        id: s.id,
        permissions: s.accessPolicy?.permissions,
        startsOn: s.accessPolicy?.startsOn?.toISOString(),
        expiresOn: s.accessPolicy?.expiresOn?.toISOString(),
      })),
      [
        {
          id: "readers",
          permissions: "rl",
          startsOn: startsOn.toISOString(),
          expiresOn: expiresOn.toISOString(),
        },
        { id: "writers", permissions: "cw", startsOn: undefined, expiresOn: undefined },
      ],
    );
    assert.equal((await share.getProperties()).etag, set.etag);
  });

  test("validation: more than 5 identifiers, long ids, bad permissions are 400", async () => {
    const scratch = service.getShareClient(uniqueShareName("acl"));
    await scratch.create();
    const six = [1, 2, 3, 4, 5, 6].map((n) => ({ id: `p${n}`, accessPolicy: policy({ permissions: "r" }) }));
    await refused(scratch.setAccessPolicy(six), "InvalidXmlDocument", 400);
    await scratch.setAccessPolicy(six.slice(0, 5));
    assert.equal((await scratch.getAccessPolicy()).signedIdentifiers.length, 5);
    await refused(
      scratch.setAccessPolicy([{ id: "x".repeat(65), accessPolicy: policy({ permissions: "r" }) }]),
      "InvalidXmlNodeValue",
      400,
    );
    await refused(
      scratch.setAccessPolicy([{ id: "bad", accessPolicy: policy({ permissions: "ra" }) }]),
      "InvalidXmlNodeValue",
      400,
    );
    await scratch.setAccessPolicy([]);
    assert.deepEqual((await scratch.getAccessPolicy()).signedIdentifiers, []);
  });

  test("a share lease gates Set Share ACL", async () => {
    const scratch = service.getShareClient(uniqueShareName("acl-lease"));
    await scratch.create();
    const lease = scratch.getShareLeaseClient();
    const { leaseId } = await lease.acquireLease(-1);
    await refused(
      scratch.setAccessPolicy([{ id: "p", accessPolicy: policy({ permissions: "r" }) }]),
      "LeaseIdMissing",
      412,
    );
    await scratch.setAccessPolicy([{ id: "p", accessPolicy: policy({ permissions: "r" }) }], {
      leaseAccessConditions: { leaseId: leaseId as string },
    });
    await lease.releaseLease();
    assert.equal((await scratch.getAccessPolicy()).signedIdentifiers[0]?.id, "p");
  });

  test("si= takes permissions and expiry from the policy; changes and removal apply at once", async () => {
    const scratch = service.getShareClient(uniqueShareName("acl-si"));
    await scratch.create();
    await scratch.rootDirectoryClient.getFileClient("f.txt").uploadData(Buffer.from("policy"));
    await scratch.setAccessPolicy([
      { id: "read", accessPolicy: policy({ permissions: "rl", expiresOn: later() }) },
    ]);
    const url = scratch.generateSasUrl({ identifier: "read" });
    const file = new ShareClientCtor(url).rootDirectoryClient.getFileClient("f.txt");
    assert.equal(await text(file), "policy");
    await refused(file.delete(), "AuthorizationPermissionMismatch");

    // Narrowed: list only.
    await scratch.setAccessPolicy([
      { id: "read", accessPolicy: policy({ permissions: "l", expiresOn: later() }) },
    ]);
    await refused(file.downloadToBuffer(), "AuthorizationPermissionMismatch");

    // Expired.
    await scratch.setAccessPolicy([
      { id: "read", accessPolicy: policy({ permissions: "r", expiresOn: new Date(Date.now() - HOUR) }) },
    ]);
    await refused(file.downloadToBuffer(), "AuthenticationFailed");

    // Revoked.
    await scratch.setAccessPolicy([]);
    await refused(file.downloadToBuffer(), "AuthenticationFailed");
  });

  test("unknown si: 403 AuthenticationFailed", async () => {
    const url = share.generateSasUrl({ identifier: "nobody-by-this-name" });
    await refused(
      new ShareClientCtor(url).rootDirectoryClient.getFileClient("x").downloadToBuffer(),
      "AuthenticationFailed",
    );
  });
});
