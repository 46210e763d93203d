import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { after, before, describe, test } from "node:test";
import { ShareServiceClient } from "@azure/storage-file-share";
import { uniqueShareName } from "./helpers/names.js";
import { rawRequest } from "./helpers/raw-http.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

let sandbox: string;
let ts: TestServer;
let shareName: string;
/** A marker no other test uses: any file system entry whose name holds it came from this test. */
const marker = `pwned${randomBytes(4).toString("hex")}`;

before(async () => {
  sandbox = mkdtempSync(join(tmpdir(), "sharelock-sandbox-"));
  ts = await startTestServer({ dataDir: join(sandbox, "data") });
  shareName = uniqueShareName("trav");
  await ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(shareName).create();
});
after(async () => {
  await ts.dispose();
  rmSync(sandbox, { recursive: true, force: true });
});

/** Every file and directory under `dir` (paths relative to it), at most `depth` levels down. */
function walk(dir: string, depth: number, skip: (name: string) => boolean = () => false): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (skip(name)) continue;
    const full = join(dir, name);
    out.push(full);
    try {
      if (depth > 0 && statSync(full).isDirectory()) out.push(...walk(full, depth - 1, skip));
    } catch {
      // vanished meanwhile (other tests clean up their temp dirs)
    }
  }
  return out;
}

function send(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer) {
  return rawRequest({
    endpoint: ts.endpoint,
    accountName: ts.accountName,
    accountKey: ts.accountKey,
    method,
    path,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
}

describe("user-supplied paths never reach the file system", () => {
  test("traversal names are refused or stay names inside the share; nothing escapes the data directory", async () => {
    const a = ts.accountName;
    const m = marker;
    const attempts = [
      `/${a}/${shareName}/..%2F..%2F..%2F${m}`,
      `/${a}/${shareName}/..%2f..%2f${m}`,
      `/${a}/${shareName}/%2E%2E%2F%2E%2E%2F${m}`,
      `/${a}/${shareName}/../../${m}`,
      `/${a}/${shareName}/..%5C..%5C${m}`,
      `/${a}/${shareName}/%2Ftmp%2F${m}`,
      `/${a}/${shareName}/%2F..%2F..%2F..%2Ftmp%2F${m}`,
      `/${a}/..%2F..%2F${m}?restype=share`,
      `/${a}/${shareName}/${m}%00.txt`,
      `/${a}/${shareName}/....%2F....%2F${m}`,
      `/${a}/${shareName}/..%252F..%252F${m}`,
      `/../../${m}`,
      `/${a}/${shareName}/.${m}`,
      `/${a}/${shareName}/${m}..x`,
    ];
    const content = Buffer.from(`${m} content`);
    const accepted: string[] = [];
    for (const path of attempts) {
      for (const [method, query, headers] of [
        ["PUT", "?restype=directory", {}],
        ["PUT", "", { "x-ms-content-length": String(content.length), "x-ms-type": "file" }],
      ] as const) {
        // Directories get their own names, so the file attempts are not refused as already existing.
        const target = path.includes("?") ? path : query ? `${path}-dir${query}` : path;
        const res = await send(method, target, headers);
        assert.ok(res.status < 500, `${method} ${target}: ${res.status}`);
        if (res.status === 201) accepted.push(target);
        if (res.status === 201 && query === "") {
          const put = await send(
            "PUT",
            `${path}?comp=range`,
            { "x-ms-range": `bytes=0-${content.length - 1}`, "x-ms-write": "update" },
            content,
          );
          assert.equal(put.status, 201, `write ${path}: ${put.body}`);
        }
      }
    }
    // Only names that are plain names inside the share were accepted; each is a node of the share.
    for (const target of accepted) {
      assert.doesNotMatch(
        decodeURIComponent(target.split("?")[0] as string),
        /(^|\/)\.\.(\/|$)|\\|\0/,
        target,
      );
    }
    assert.ok(accepted.length > 0, "some odd-but-legal names were accepted (e.g. '.marker')");

    // Nothing anywhere near carries the marker in its name: not beside the data directory, not in the
    // temp directory, not in the working directory.
    const near = [
      ...walk(sandbox, 6),
      ...walk(tmpdir(), 2),
      ...walk(process.cwd(), 2, (n) => n === "node_modules" || n === ".git"),
    ];
    const leaked = near.filter((p) => p.includes(m));
    assert.deepEqual(leaked, [], "no file system entry is named after a request path");

    // The sandbox holds the data directory and nothing else; inside it, only the store's own names.
    assert.deepEqual(readdirSync(sandbox), ["data"]);
    const inside = walk(join(sandbox, "data"), 6).map((p) => relative(join(sandbox, "data"), p));
    for (const p of inside) {
      assert.match(
        p,
        /^(metadata\.sqlite(-wal|-shm|-journal)?|extents(\/[0-9a-z._-]+)?)$/i,
        `unexpected ${p}`,
      );
    }
    // The bytes written under those names are in the extents, addressed by id.
    const extentFiles = inside.filter((p) => p.startsWith("extents/")).map((p) => join(sandbox, "data", p));
    assert.ok(
      extentFiles.some((f) => statSync(f).isFile() && readFileSync(f).includes(content)),
      "content lives in an extent file",
    );
  });
});
