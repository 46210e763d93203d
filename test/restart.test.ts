import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { type ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import { countPostgresRows, TEST_POSTGRES_URL, uniquePostgresSchema } from "./helpers/postgres.js";
import { startTestServer, type TestServer, type TestServerOptions } from "./helpers/server.js";

const MiB = 1024 * 1024;

/** Everything a client can observe about the data written below, in a comparable form. */
interface Observed {
  share: Record<string, unknown>;
  listing: Record<string, unknown[]>;
  dirs: Record<string, Record<string, unknown>>;
  files: Record<string, { props: Record<string, unknown>; ranges: number[][]; content: Buffer }>;
}

const DIRS = ["tree", "tree/a", "tree/a/b", "tree/a/b/c", "tree/other"];
const FILES = [
  "sparse.bin",
  "tree/a/small.txt",
  "tree/a/b/c/deep.bin",
  "tree/other/empty.dat",
  "cleared.bin",
];

function shareOf(ts: TestServer, name: string): ShareClient {
  return ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(name);
}

/** Writes sparse ranges, metadata, a directory tree and a few files; returns what each file must hold. */
async function populate(share: ShareClient): Promise<Map<string, Buffer>> {
  await share.create({ quota: 7, metadata: { owner: "restart", Mixed_Case: "Value" } });
  for (const d of DIRS) {
    await share.getDirectoryClient(d).create({ metadata: { level: String(d.split("/").length) } });
  }
  const expected = new Map<string, Buffer>();

  // A 12 MiB file with sparse ranges: a head, a full 4 MiB range, an odd tail, an overwrite.
  const sparse = share.rootDirectoryClient.getFileClient("sparse.bin");
  const sparseBytes = Buffer.alloc(12 * MiB);
  await sparse.create(sparseBytes.length, {
    metadata: { kind: "sparse" },
    fileHttpHeaders: { fileContentType: "application/x-test", fileCacheControl: "max-age=5" },
  });
  const writes: Array<[number, Buffer]> = [
    [0, randomBytes(512)],
    [1 * MiB, randomBytes(4 * MiB)],
    [7 * MiB + 3, randomBytes(1000)],
    [12 * MiB - 700, randomBytes(700)],
    [1 * MiB + 100, randomBytes(50)], // overwrites the middle of an earlier range
  ];
  for (const [offset, data] of writes) {
    await sparse.uploadRange(data, offset, data.length);
    data.copy(sparseBytes, offset);
  }
  expected.set("sparse.bin", sparseBytes);

  // A file whose ranges were partly cleared: cleared bytes read as zeros and leave List Ranges.
  const cleared = share.rootDirectoryClient.getFileClient("cleared.bin");
  const clearedBytes = randomBytes(64 * 1024);
  await cleared.create(clearedBytes.length);
  await cleared.uploadRange(clearedBytes, 0, clearedBytes.length);
  await cleared.clearRange(8192, 16384);
  clearedBytes.fill(0, 8192, 8192 + 16384);
  expected.set("cleared.bin", clearedBytes);

  const small = Buffer.from("hello across restarts\n");
  const smallFile = share.getDirectoryClient("tree/a").getFileClient("small.txt");
  await smallFile.uploadData(small, { fileHttpHeaders: { fileContentType: "text/plain" } });
  await smallFile.setMetadata({ note: "small" });
  expected.set("tree/a/small.txt", small);

  const deep = randomBytes(3 * 1024 + 17);
  await share.getDirectoryClient("tree/a/b/c").getFileClient("deep.bin").uploadData(deep);
  expected.set("tree/a/b/c/deep.bin", deep);

  await share.getDirectoryClient("tree/other").getFileClient("empty.dat").create(0);
  expected.set("tree/other/empty.dat", Buffer.alloc(0));
  return expected;
}

function fileClient(share: ShareClient, path: string) {
  const i = path.lastIndexOf("/");
  const dir = i < 0 ? share.rootDirectoryClient : share.getDirectoryClient(path.slice(0, i));
  return dir.getFileClient(path.slice(i + 1));
}

async function observe(share: ShareClient): Promise<Observed> {
  const sp = await share.getProperties();
  const out: Observed = {
    share: {
      quota: sp.quota,
      metadata: sp.metadata,
      etag: sp.etag,
      lastModified: sp.lastModified?.toISOString(),
      leaseState: sp.leaseState,
    },
    listing: {},
    dirs: {},
    files: {},
  };
  for (const d of ["", ...DIRS]) {
    const dir = d === "" ? share.rootDirectoryClient : share.getDirectoryClient(d);
    const items: unknown[] = [];
    for await (const item of dir.listFilesAndDirectories({ includeTimestamps: true, includeEtag: true })) {
      items.push({
        kind: item.kind,
        name: item.name,
        ...(item.kind === "file" ? { size: item.properties.contentLength } : {}),
        etag: item.properties?.etag,
        lastWriteTime: item.properties?.lastWriteTime?.toISOString(),
      });
    }
    out.listing[d] = items;
    if (d !== "") {
      const p = await dir.getProperties();
      out.dirs[d] = {
        metadata: p.metadata,
        etag: p.etag,
        lastModified: p.lastModified?.toISOString(),
        fileId: p.fileId,
        attributes: p.fileAttributes,
        creationTime: p.fileCreatedOn?.toISOString(),
      };
    }
  }
  for (const path of FILES) {
    const f = fileClient(share, path);
    const p = await f.getProperties();
    const ranges = (await f.getRangeList()).rangeList.map((r) => [r.start, r.end]);
    const content = p.contentLength === 0 ? Buffer.alloc(0) : await f.downloadToBuffer();
    out.files[path] = {
      props: {
        contentLength: p.contentLength,
        contentType: p.contentType,
        cacheControl: p.cacheControl,
        metadata: p.metadata,
        etag: p.etag,
        lastModified: p.lastModified?.toISOString(),
        fileId: p.fileId,
        parentId: p.fileParentId,
        attributes: p.fileAttributes,
        creationTime: p.fileCreatedOn?.toISOString(),
        lastWriteTime: p.fileLastWriteOn?.toISOString(),
        permissionKey: p.filePermissionKey,
      },
      ranges,
      content,
    };
  }
  return out;
}

/** Writes, restarts, compares; then writes again after the restart and restarts once more. */
async function restartRoundTrip(opts: TestServerOptions): Promise<void> {
  const name = uniqueShareName("restart");
  let ts = await startTestServer(opts);
  const again = (): TestServerOptions => ({
    ...opts,
    dataDir: ts.dataDir,
    ...(ts.postgres ? { postgresUrl: ts.postgres.url, postgresSchema: ts.postgres.schema } : {}),
  });
  try {
    const expected = await populate(shareOf(ts, name));
    const before = await observe(shareOf(ts, name));
    for (const [path, bytes] of expected) {
      assert.ok(before.files[path]?.content.equals(bytes), `${path} reads back what was written`);
    }
    assert.deepEqual(before.files["sparse.bin"]?.ranges, [
      [0, 511],
      [MiB, 5 * MiB - 1],
      [7 * MiB + 3, 7 * MiB + 1002],
      [12 * MiB - 700, 12 * MiB - 1],
    ]);
    assert.deepEqual(before.files["cleared.bin"]?.ranges, [
      [0, 8191],
      [8192 + 16384, 64 * 1024 - 1],
    ]);

    await ts.stop();
    ts = await startTestServer(again());
    const after = await observe(shareOf(ts, name));
    assert.deepEqual(after, before, "everything observable is identical after the restart");

    // The restarted server keeps appending without disturbing what was there.
    const sparse = shareOf(ts, name).rootDirectoryClient.getFileClient("sparse.bin");
    const more = randomBytes(4096);
    await sparse.uploadRange(more, 10 * MiB, more.length);
    const sparseBytes = Buffer.from(expected.get("sparse.bin") as Buffer);
    more.copy(sparseBytes, 10 * MiB);
    await shareOf(ts, name).getDirectoryClient("tree/other").getFileClient("late.txt").uploadData(more);

    await ts.stop();
    ts = await startTestServer(again());
    const share = shareOf(ts, name);
    assert.ok(
      (await share.rootDirectoryClient.getFileClient("sparse.bin").downloadToBuffer()).equals(sparseBytes),
    );
    assert.deepEqual(
      (await share.rootDirectoryClient.getFileClient("sparse.bin").getRangeList()).rangeList.map((r) => [
        r.start,
        r.end,
      ]),
      [
        [0, 511],
        [MiB, 5 * MiB - 1],
        [7 * MiB + 3, 7 * MiB + 1002],
        [10 * MiB, 10 * MiB + 4095],
        [12 * MiB - 700, 12 * MiB - 1],
      ],
    );
    assert.ok(
      (await share.getDirectoryClient("tree/other").getFileClient("late.txt").downloadToBuffer()).equals(
        more,
      ),
    );
    for (const path of FILES.filter((p) => p !== "sparse.bin")) {
      assert.ok(
        (await fileClient(share, path).getProperties()).contentLength === 0 ||
          (await fileClient(share, path).downloadToBuffer()).equals(expected.get(path) as Buffer),
        `${path} unchanged after the second restart`,
      );
    }
    // Listing the service finds the share with its metadata again.
    const listed: Array<{ name: string; metadata?: Record<string, string> }> = [];
    for await (const s of ShareServiceClient.fromConnectionString(ts.connectionString).listShares({
      prefix: name,
      includeMetadata: true,
    })) {
      listed.push({ name: s.name, ...(s.metadata ? { metadata: s.metadata } : {}) });
    }
    assert.deepEqual(listed, [{ name, metadata: { owner: "restart", Mixed_Case: "Value" } }]);
    if (opts.postgresUrl !== undefined) {
      const pg = ts.postgres as { url: string; schema: string };
      assert.equal(pg.schema, opts.postgresSchema);
      assert.ok((await countPostgresRows(pg.url, pg.schema, "nodes")) >= DIRS.length + FILES.length + 1);
    }
  } finally {
    await ts.dispose();
  }
}

describe("data survives a restart", () => {
  test("SQLite metadata + local extents: byte-identical content, List Ranges and properties", async () => {
    await restartRoundTrip({});
  });

  test("PostgreSQL metadata + local extents: the same after a restart on the same schema", async () => {
    await restartRoundTrip({ postgresUrl: TEST_POSTGRES_URL, postgresSchema: uniquePostgresSchema() });
  });
});
