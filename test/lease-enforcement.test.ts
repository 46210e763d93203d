import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  FileSystemAttributes,
  type ShareClient,
  type ShareFileClient,
  ShareServiceClient,
} from "@azure/storage-file-share";
import { FakeClock } from "../packages/server/src/index.js";
import { A, B } from "./helpers/lease-kit.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

/**
 * Every lease-gated operation through the official SDK with no lease id, the right one and a wrong one;
 * every read with the same three; and the operations a lease must not gate.
 */

const clock = new FakeClock();
let ts: TestServer;
let service: ShareServiceClient;
let share: ShareClient;

before(async () => {
  ts = await startTestServer({ clock });
  service = ShareServiceClient.fromConnectionString(ts.connectionString);
  share = service.getShareClient(uniqueShareName("enforce"));
  await share.create();
});
after(async () => ts.dispose());

interface Result {
  status: number;
  code?: string;
}

/** Runs an SDK call; a success is its status (200 when the SDK drops `_response`), a failure its error. */
async function attempt(call: Promise<unknown>): Promise<Result> {
  try {
    const res = (await call) as { _response?: { status: number } };
    return { status: res._response?.status ?? 200 };
  } catch (err) {
    const e = err as {
      statusCode?: number;
      code?: string;
      response?: { headers: { get(n: string): string | undefined } };
    };
    if (e.statusCode === undefined) throw err;
    const code = e.response?.headers.get("x-ms-error-code") ?? e.code;
    return { status: e.statusCode, ...(code ? { code } : {}) };
  }
}

type LeaseOpts = { leaseAccessConditions?: { leaseId: string } };
const withId = (id: string | undefined): LeaseOpts =>
  id === undefined ? {} : { leaseAccessConditions: { leaseId: id } };

let fileCounter = 0;
async function newFile(): Promise<ShareFileClient> {
  fileCounter += 1;
  const file = share.rootDirectoryClient.getFileClient(`gated-${fileCounter}.bin`);
  await file.create(4096);
  await file.uploadRange(Buffer.alloc(1024, 1), 0, 1024);
  return file;
}

async function leaseState(file: ShareFileClient): Promise<{ state?: string; etag?: string }> {
  const p = await file.getProperties();
  return { state: p.leaseState, etag: p.etag };
}

const FILE_WRITES: Record<string, (f: ShareFileClient, o: LeaseOpts) => Promise<unknown>> = {
  "Create File over an existing file": (f, o) => f.create(2048, o),
  "Put Range (update)": (f, o) => f.uploadRange(Buffer.alloc(512, 7), 512, 512, o),
  "Put Range (clear)": (f, o) => f.clearRange(0, 512, o),
  "Set File Properties (HTTP headers)": (f, o) => f.setHttpHeaders({ fileContentType: "text/x-leased" }, o),
  "Set File Properties (SMB properties)": (f, o) =>
    f.setProperties({ fileAttributes: FileSystemAttributes.parse("ReadOnly"), ...o }),
  "Set File Properties (resize)": (f, o) => f.resize(8192, o),
  "Set File Metadata": (f, o) => f.setMetadata({ k: "v" }, o),
  "Delete File": (f, o) => f.delete(o),
};

const FILE_READS: Record<string, (f: ShareFileClient, o: LeaseOpts) => Promise<unknown>> = {
  "Get File": (f, o) => f.download(0, undefined, o),
  "Get File (range)": (f, o) => f.download(0, 100, o),
  "Get File Properties": (f, o) => f.getProperties(o),
  "List Ranges": (f, o) => f.getRangeList(o),
};

describe("a file lease gates every file write and delete", { concurrency: true }, () => {
  for (const [name, op] of Object.entries(FILE_WRITES)) {
    test(`${name}: no id → 412 LeaseIdMissing, nothing changes`, async () => {
      const f = await newFile();
      await f.getShareLeaseClient(A).acquireLease(-1);
      const before = await leaseState(f);
      assert.deepEqual(await attempt(op(f, {})), { status: 412, code: "LeaseIdMissing" });
      assert.deepEqual(await leaseState(f), before);
    });

    test(`${name}: wrong id → 412 LeaseIdMismatchWithFileOperation, nothing changes`, async () => {
      const f = await newFile();
      await f.getShareLeaseClient(A).acquireLease(-1);
      const before = await leaseState(f);
      assert.deepEqual(await attempt(op(f, withId(B))), {
        status: 412,
        code: "LeaseIdMismatchWithFileOperation",
      });
      assert.deepEqual(await leaseState(f), before);
    });

    test(`${name}: the lease id (any case) → succeeds, the lease still holds`, async () => {
      const f = await newFile();
      await f.getShareLeaseClient(A).acquireLease(-1);
      const before = await leaseState(f);
      const res = await attempt(op(f, withId(A.toUpperCase())));
      assert.ok(res.status < 300, `succeeded (${res.status} ${res.code ?? ""})`);
      if (name === "Delete File") {
        assert.equal(await f.exists(), false);
        return;
      }
      const now = await leaseState(f);
      assert.equal(now.state, "leased");
      assert.notEqual(now.etag, before.etag, "the write took effect");
      assert.equal((await attempt(f.getProperties(withId(A)))).status, 200, "A still holds the lease");
    });

    test(`${name}: an id on an unleased file → 412 LeaseNotPresentWithFileOperation`, async () => {
      const f = await newFile();
      assert.deepEqual(await attempt(op(f, withId(A))), {
        status: 412,
        code: "LeaseNotPresentWithFileOperation",
      });
      assert.ok((await attempt(op(f, {}))).status < 300, "and succeeds without one");
    });
  }

  test("Create File of a new file with a lease id → 412 LeaseNotPresentWithFileOperation", async () => {
    const f = share.rootDirectoryClient.getFileClient("never-created.bin");
    assert.deepEqual(await attempt(f.create(10, withId(A))), {
      status: 412,
      code: "LeaseNotPresentWithFileOperation",
    });
    assert.equal(await f.exists(), false);
  });

  test("a malformed x-ms-lease-id on a write or a read → 400 InvalidHeaderValue", async () => {
    const f = await newFile();
    assert.deepEqual(await attempt(f.setMetadata({ k: "v" }, withId("not-a-guid"))), {
      status: 400,
      code: "InvalidHeaderValue",
    });
    assert.deepEqual(await attempt(f.download(0, 10, withId("not-a-guid"))), {
      status: 400,
      code: "InvalidHeaderValue",
    });
  });

  test("the written bytes of a refused Put Range never appear", async () => {
    const f = await newFile();
    await f.getShareLeaseClient(A).acquireLease(-1);
    await attempt(f.uploadRange(Buffer.alloc(512, 9), 0, 512));
    const body = await f.downloadToBuffer(0, 512);
    assert.deepEqual(body, Buffer.alloc(512, 1));
  });
});

describe("a file lease does not gate reads; an id on a read is a condition", { concurrency: true }, () => {
  for (const [name, op] of Object.entries(FILE_READS)) {
    test(`${name}: no id and the right id pass; a wrong id → 412 LeaseIdMismatchWithFileOperation`, async () => {
      const f = await newFile();
      await f.getShareLeaseClient(A).acquireLease(-1);
      assert.ok((await attempt(op(f, {}))).status < 300);
      assert.ok((await attempt(op(f, withId(A)))).status < 300);
      assert.deepEqual(await attempt(op(f, withId(B))), {
        status: 412,
        code: "LeaseIdMismatchWithFileOperation",
      });
    });

    test(`${name}: an id on an unleased file → 412 LeaseNotPresentWithFileOperation`, async () => {
      const f = await newFile();
      assert.deepEqual(await attempt(op(f, withId(A))), {
        status: 412,
        code: "LeaseNotPresentWithFileOperation",
      });
    });
  }
});

describe("what a file lease does not gate", () => {
  test("listing, creating siblings, directory operations, breaking without an id", async () => {
    const dir = share.rootDirectoryClient.getDirectoryClient(uniqueShareName("dir"));
    await dir.create();
    const f = dir.getFileClient("leased.bin");
    await f.create(10);
    await f.getShareLeaseClient(A).acquireLease(-1);
    const names: string[] = [];
    for await (const item of dir.listFilesAndDirectories()) names.push(item.name);
    assert.deepEqual(names, ["leased.bin"]);
    await dir.getFileClient("sibling.bin").create(10);
    await dir.setMetadata({ k: "v" });
    const brk = await f.getShareLeaseClient().breakLease();
    assert.equal(brk._response.status, 202);
  });

  test("a share may be deleted while files in it are leased", async () => {
    const s = service.getShareClient(uniqueShareName("doomed"));
    await s.create();
    const f = s.rootDirectoryClient.getFileClient("leased.bin");
    await f.create(10);
    await f.getShareLeaseClient(A).acquireLease(-1);
    await s.delete();
    assert.equal(await s.exists(), false);
  });
});

type ShareOp = (s: ShareClient, o: LeaseOpts) => Promise<unknown>;

const SHARE_WRITES: Record<string, ShareOp> = {
  "Set Share Metadata": (s, o) => s.setMetadata({ k: "v" }, o),
  "Set Share Properties (quota)": (s, o) => s.setQuota(10, o),
  "Set Share Properties (access tier)": (s, o) => s.setProperties({ accessTier: "Cool", ...o }),
  "Set Share ACL": (s, o) =>
    s.setAccessPolicy(
      [
        {
          id: "policy-1",
          accessPolicy: {
            permissions: "r",
            startsOn: new Date("2026-01-01T00:00:00Z"),
            expiresOn: new Date("2027-01-01T00:00:00Z"),
          },
        },
      ],
      o,
    ),
  "Delete Share": (s, o) => s.delete(o),
};

const SHARE_READS: Record<string, ShareOp> = {
  "Get Share Properties": (s, o) => s.getProperties(o),
  "Get Share Stats": (s, o) => s.getStatistics(o),
  "Get Share ACL": (s, o) => s.getAccessPolicy(o),
};

async function newShare(): Promise<ShareClient> {
  const s = service.getShareClient(uniqueShareName("gated"));
  await s.create();
  return s;
}

async function shareStamp(s: ShareClient): Promise<{ state?: string; etag?: string }> {
  const p = await s.getProperties();
  return { state: p.leaseState, etag: p.etag };
}

describe("a share lease gates Delete Share and Set Share Metadata/Properties/ACL", {
  concurrency: true,
}, () => {
  for (const [name, op] of Object.entries(SHARE_WRITES)) {
    test(`${name}: no id → 412 LeaseIdMissing, nothing changes`, async () => {
      const s = await newShare();
      await s.getShareLeaseClient(A).acquireLease(30);
      const before = await shareStamp(s);
      assert.deepEqual(await attempt(op(s, {})), { status: 412, code: "LeaseIdMissing" });
      assert.deepEqual(await shareStamp(s), before);
    });

    test(`${name}: wrong id → 412 LeaseIdMismatchWithContainerOperation, nothing changes`, async () => {
      const s = await newShare();
      await s.getShareLeaseClient(A).acquireLease(-1);
      const before = await shareStamp(s);
      assert.deepEqual(await attempt(op(s, withId(B))), {
        status: 412,
        code: "LeaseIdMismatchWithContainerOperation",
      });
      assert.deepEqual(await shareStamp(s), before);
    });

    test(`${name}: the lease id → succeeds, the lease still holds`, async () => {
      const s = await newShare();
      await s.getShareLeaseClient(A).acquireLease(-1);
      const before = await shareStamp(s);
      const res = await attempt(op(s, withId(A)));
      assert.ok(res.status < 300, `succeeded (${res.status} ${res.code ?? ""})`);
      if (name === "Delete Share") {
        assert.equal(await s.exists(), false);
        return;
      }
      const now = await shareStamp(s);
      assert.equal(now.state, "leased");
      assert.notEqual(now.etag, before.etag, "the change took effect");
    });

    test(`${name}: an id on an unleased share → 412 LeaseNotPresentWithContainerOperation`, async () => {
      const s = await newShare();
      assert.deepEqual(await attempt(op(s, withId(A))), {
        status: 412,
        code: "LeaseNotPresentWithContainerOperation",
      });
    });
  }

  for (const [name, op] of Object.entries(SHARE_READS)) {
    test(`${name}: no id and the right id pass; a wrong id → 412 LeaseIdMismatchWithContainerOperation`, async () => {
      const s = await newShare();
      await s.getShareLeaseClient(A).acquireLease(-1);
      assert.equal((await attempt(op(s, {}))).status, 200);
      assert.equal((await attempt(op(s, withId(A)))).status, 200);
      assert.deepEqual(await attempt(op(s, withId(B))), {
        status: 412,
        code: "LeaseIdMismatchWithContainerOperation",
      });
    });
  }
});

describe("a share lease does not gate directory and file operations", () => {
  test("create/modify/delete directories and files in a leased share without any id", async () => {
    const s = await newShare();
    await s.getShareLeaseClient(A).acquireLease(-1);
    const dir = s.rootDirectoryClient.getDirectoryClient("d");
    await dir.create();
    await dir.setMetadata({ k: "v" });
    const f = dir.getFileClient("f.txt");
    await f.uploadData(Buffer.from("hello"));
    await f.setMetadata({ k: "v" });
    await f.setHttpHeaders({ fileContentType: "text/plain" });
    assert.equal((await f.downloadToBuffer()).toString(), "hello");
    await f.delete();
    await dir.delete();
    const p = await s.getProperties();
    assert.equal(p.leaseState, "leased", "the share lease is untouched");
  });

  test("a file lease id and a share lease id are independent", async () => {
    const s = await newShare();
    await s.getShareLeaseClient(A).acquireLease(-1);
    const f = s.rootDirectoryClient.getFileClient("f.bin");
    await f.create(10);
    await f.getShareLeaseClient(B).acquireLease(-1);
    assert.deepEqual(await attempt(f.setMetadata({ k: "v" }, withId(A))), {
      status: 412,
      code: "LeaseIdMismatchWithFileOperation",
    });
    assert.deepEqual(await attempt(s.setMetadata({ k: "v" }, withId(B))), {
      status: 412,
      code: "LeaseIdMismatchWithContainerOperation",
    });
  });
});
