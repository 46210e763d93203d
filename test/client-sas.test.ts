/**
 * Shared access signatures made by `@sharelock/client` (`generateFileSas`, `generateShareSas`,
 * `generateAccountSas` and the clients' `generate*SasUrl`) used against a live Sharelock server:
 * what each grants works, what it does not grant is refused with Azure's codes.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  generateAccountSas,
  generateFileSas,
  generateShareSas,
  SasCredential,
  ShareClient,
  SharedKeyCredential,
  ShareFileClient,
  type ShareServiceClient,
  ShareServiceClient as ShareServiceClientCtor,
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

const HOUR = 3600_000;
let ts: TestServer;
let service: ShareServiceClient;
let key: SharedKeyCredential;
let share: ShareClient;

const later = () => new Date(Date.now() + HOUR);
const text = async (file: ShareFileClient) => (await (await file.downloadFile()).readAll()).toString();

before(async () => {
  ts = await startTestServer();
  service = ourService(ts);
  key = new SharedKeyCredential(ts.accountName, ts.accountKey);
  share = await service.createShare(uniqueShareName("sas"));
  await share.createDirectory("docs");
  await share.getFileClient("docs/a.txt").uploadFile("file a");
  await share.getFileClient("docs/b.txt").uploadFile("file b");
});
after(async () => ts.dispose());

describe("SAS tokens from @sharelock/client against a live server", () => {
  test("generateFileSas: r reads that file only; writes and other files are refused", async () => {
    const token = generateFileSas(key, {
      shareName: share.name,
      filePath: "docs/a.txt",
      permission: "r",
      expiry: later(),
    });
    const url = `${ts.accountUrl}/${share.name}/docs/a.txt`;
    const file = new ShareFileClient(url, new SasCredential(token), FAST_RETRIES);
    assert.equal(await text(file), "file a");
    assert.equal((await file.getFileProperties()).size, 6);
    await rejectsWithShareError(file.uploadFile("overwrite"), {
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
    await rejectsWithShareError(file.deleteFile(), { status: 403, code: "AuthorizationPermissionMismatch" });
    const sibling = new ShareFileClient(`${ts.accountUrl}/${share.name}/docs/b.txt?${token}`);
    await rejectsWithShareError(sibling.downloadFile(), { status: 403, code: "AuthenticationFailed" });
    // A SAS in the URL is picked up, and shown (signature included) in the client's url.
    const fromUrl = new ShareFileClient(`${url}?${token}`);
    assert.equal(await text(fromUrl), "file a");
    assert.ok(fromUrl.url.endsWith(`?${token}`));
  });

  test("ShareFileClient.generateSasUrl with rw writes and leases the file; the official SDK reads it", async () => {
    const file = share.getFileClient("docs/writable.txt");
    await file.createFile(0);
    const url = file.generateSasUrl({ permission: { read: true, write: true }, expiry: later() });
    const viaSas = new ShareFileClient(url, undefined, FAST_RETRIES);
    await viaSas.uploadFile("written through a file SAS");
    const lease = await viaSas.acquireLease();
    await viaSas.setFileMetadata({ by: "sas" }, { leaseId: lease.id });
    await lease.release();
    const official = azureService(ts)
      .getShareClient(share.name)
      .getDirectoryClient("docs")
      .getFileClient("writable.txt");
    assert.equal((await official.downloadToBuffer()).toString(), "written through a file SAS");
    assert.deepEqual((await official.getProperties()).metadata, { by: "sas" });
  });

  test("file SAS response-header overrides are applied to downloads", async () => {
    const token = generateFileSas(key, {
      shareName: share.name,
      filePath: "docs/a.txt",
      permission: "r",
      expiry: later(),
      contentType: "text/x-override",
      contentDisposition: 'attachment; filename="override.txt"',
      cacheControl: "no-store",
    });
    const file = new ShareFileClient(`${ts.accountUrl}/${share.name}/docs/a.txt?${token}`);
    const { properties } = await file.downloadFile();
    assert.equal(properties.contentSettings.contentType, "text/x-override");
    assert.equal(properties.contentSettings.contentDisposition, 'attachment; filename="override.txt"');
    assert.equal(properties.contentSettings.cacheControl, "no-store");
  });

  test("generateShareSas: rcwdl manages files and lists; l alone lists but cannot read", async () => {
    const token = generateShareSas(key, { shareName: share.name, permission: "rcwdl", expiry: later() });
    const viaSas = new ShareClient(`${ts.accountUrl}/${share.name}`, new SasCredential(token), FAST_RETRIES);
    const names = (await collect(viaSas.listDirectoriesAndFiles({ directoryName: "docs" }))).map(
      (i) => i.name,
    );
    assert.ok(names.includes("a.txt") && names.includes("b.txt"));
    const created = viaSas.getFileClient("docs/by-share-sas.txt");
    await created.uploadFile("share sas");
    assert.equal(await text(created), "share sas");
    await created.deleteFile();
    assert.equal(await created.exists(), false);

    const listOnly = new ShareClient(share.generateSasUrl({ permission: { list: true }, expiry: later() }));
    assert.ok((await collect(listOnly.listDirectoriesAndFiles())).some((i) => i.name === "docs"));
    await rejectsWithShareError(listOnly.getFileClient("docs/a.txt").downloadFile(), {
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
    // A share SAS does not reach another share.
    const other = await service.createShare(uniqueShareName("sas-other"));
    await rejectsWithShareError(
      new ShareClient(`${ts.accountUrl}/${other.name}?${token}`).getFileClient("x").createFile(1),
      { status: 403, code: "AuthenticationFailed" },
    );
  });

  test("generateShareSas with a stored access policy (si=)", async () => {
    const scratch = await service.createShare(uniqueShareName("sas-policy"));
    await scratch.getFileClient("f.txt").uploadFile("policy");
    await azureService(ts)
      .getShareClient(scratch.name)
      .setAccessPolicy([{ id: "readers", accessPolicy: { permissions: "rl", expiresOn: later() } as never }]);
    const token = generateShareSas(key, { shareName: scratch.name, policyId: "readers" });
    assert.ok(new URLSearchParams(token).get("si") === "readers");
    const viaPolicy = new ShareClient(`${ts.accountUrl}/${scratch.name}?${token}`);
    assert.equal(await text(viaPolicy.getFileClient("f.txt")), "policy");
    await rejectsWithShareError(viaPolicy.getFileClient("f.txt").deleteFile(), {
      status: 403,
      code: "AuthorizationPermissionMismatch",
    });
  });

  test("generateAccountSas: srt=sco lists and creates shares; srt=s cannot touch a share", async () => {
    const token = generateAccountSas(key, {
      resourceTypes: { service: true, container: true, object: true },
      permission: "rwdlc",
      expiry: later(),
    });
    const viaSas = new ShareServiceClientCtor(ts.accountUrl, new SasCredential(token), FAST_RETRIES);
    const name = uniqueShareName("sas-acct");
    const created = await viaSas.createShare(name);
    await created.getFileClient("o.txt").uploadFile("object level");
    assert.equal(await text(created.getFileClient("o.txt")), "object level");
    assert.deepEqual(
      (await collect(viaSas.listShares({ nameStartsWith: name }))).map((s) => s.name),
      [name],
    );

    const serviceOnly = new ShareServiceClientCtor(
      service.generateAccountSasUrl({ resourceTypes: "s", permission: "rl", expiry: later() }),
    );
    assert.ok((await collect(serviceOnly.listShares())).some((s) => s.name === name));
    await rejectsWithShareError(serviceOnly.createShare(uniqueShareName("sas-no")), {
      status: 403,
      code: "AuthorizationResourceTypeMismatch",
    });
  });

  test("a connection string with SharedAccessSignature works", async () => {
    const token = generateAccountSas(key, { resourceTypes: "sco", permission: "rl", expiry: later() });
    const endpoint = /FileEndpoint=([^;]+)/.exec(ts.connectionString)?.[1];
    const viaString = ShareServiceClientCtor.fromConnectionString(
      `SharedAccessSignature=${token};FileEndpoint=${endpoint}`,
    );
    assert.equal(await text(viaString.getShareClient(share.name).getFileClient("docs/a.txt")), "file a");
  });

  test("expired or not-yet-valid SAS: 403 AuthenticationFailed; the signature is redacted from errors", async () => {
    const expired = generateFileSas(key, {
      shareName: share.name,
      filePath: "docs/a.txt",
      permission: "r",
      expiry: new Date(Date.now() - HOUR),
    });
    const error = await rejectsWithShareError(
      new ShareFileClient(`${ts.accountUrl}/${share.name}/docs/a.txt?${expired}`).downloadFile(),
      { status: 403, code: "AuthenticationFailed" },
    );
    assert.match(error.url ?? "", /[?&]sig=REDACTED(&|$)/);
    assert.ok(!error.url?.includes(new URLSearchParams(expired).get("sig") ?? "?"));

    const notYet = generateFileSas(key, {
      shareName: share.name,
      filePath: "docs/a.txt",
      permission: "r",
      start: new Date(Date.now() + HOUR),
      expiry: new Date(Date.now() + 2 * HOUR),
    });
    await rejectsWithShareError(
      new ShareFileClient(
        `${ts.accountUrl}/${share.name}/docs/a.txt`,
        new SasCredential(notYet),
      ).downloadFile(),
      { status: 403, code: "AuthenticationFailed" },
    );
  });

  test("generating a SAS needs an account key", () => {
    const viaSas = new ShareClient(share.generateSasUrl({ permission: "r", expiry: later() }));
    assert.throws(() => viaSas.generateSasUrl({ permission: "r", expiry: later() }), TypeError);
  });
});
