/**
 * Failures of `@sharelock/client` calls against a live Sharelock server: every failure is a
 * `ShareError` with the service's status, code and request id; 4xx answers (lease conflicts
 * included) are never retried, network failures are; timeouts and aborts stop real requests,
 * including a download aborted half-way.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  AnonymousCredential,
  type ShareClient,
  ShareError,
  ShareFileClient,
  ShareLeaseClient,
  ShareServiceClient,
} from "../packages/client/src/index.js";
import {
  type CountingFetch,
  countingFetch,
  FAST_RETRIES,
  ourService,
  rejectsWithShareError,
} from "./helpers/client-kit.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const MiB = 1024 * 1024;
let ts: TestServer;
let share: ShareClient;
let scratch: string;

before(async () => {
  ts = await startTestServer();
  share = await ourService(ts).createShare(uniqueShareName("errors"));
  scratch = mkdtempSync(join(tmpdir(), "sharelock-client-errors-"));
});
after(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await ts.dispose();
});

/** A share client whose requests are counted, with quick but real retries. */
function countedShare(): { share: ShareClient; sent: CountingFetch } {
  const sent = countingFetch();
  const service = ShareServiceClient.fromConnectionString(ts.connectionString, {
    retry: { maxRetries: 3, retryDelayMs: 1, maxRetryDelayMs: 5 },
    fetch: sent.fetch,
  });
  return { share: service.getShareClient(share.name), sent };
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === "object");
  return address.port;
}

async function bigFile(name: string, size: number): Promise<ShareFileClient> {
  const file = share.getFileClient(name);
  await file.uploadFile(randomBytes(size));
  return file;
}

describe("ShareError from a live server", () => {
  test("a service error carries status, code, messages, request ids, method, url, details", async () => {
    const { share: counted, sent } = countedShare();
    const error = await rejectsWithShareError(counted.getFileClient("dir-missing/x.txt").createFile(1), {
      status: 404,
      code: "ParentNotFound",
    });
    assert.ok(error instanceof Error);
    assert.equal(error.name, "ShareError");
    assert.equal(error.isNetworkError || error.isTimeout || error.isAborted, false);
    assert.ok(error.serviceMessage && error.serviceMessage.length > 0);
    assert.ok(!error.serviceMessage.includes("RequestId:"), "the trailer is stripped");
    assert.ok(error.message.includes(error.serviceMessage));
    assert.ok(error.message.includes("HTTP 404 ParentNotFound"));
    assert.equal(error.method, "PUT");
    assert.equal(error.url, `${ts.accountUrl}/${share.name}/dir-missing/x.txt`);
    assert.equal(sent.requests.length, 1);
    assert.equal(error.clientRequestId, sent.requests[0]?.headers.get("x-ms-client-request-id"));

    const invalid = await rejectsWithShareError(new ShareLeaseClient(share).acquire({ leaseDuration: 7 }), {
      status: 400,
      code: "InvalidHeaderValue",
    });
    assert.deepEqual(invalid.details, { HeaderName: "x-ms-lease-duration", HeaderValue: "7" });
  });

  test("errors of HEAD requests (no body) still carry the code from x-ms-error-code", async () => {
    const error = await rejectsWithShareError(share.getFileClient("missing.txt").getFileProperties(), {
      status: 404,
      code: "ResourceNotFound",
    });
    assert.equal(error.serviceMessage, undefined);
    assert.equal(error.method, "HEAD");
  });

  test("a request without credentials is refused: 401 NoAuthenticationInformation", async () => {
    const anonymous = new ShareFileClient(
      share.getFileClient("x.txt").url,
      new AnonymousCredential(),
      FAST_RETRIES,
    );
    await rejectsWithShareError(anonymous.getFileProperties(), {
      status: 401,
      code: "NoAuthenticationInformation",
    });
    await rejectsWithShareError(anonymous.downloadFile(), {
      status: 401,
      code: "NoAuthenticationInformation",
    });
  });

  test("409 and 412 are final: one request each, never retried", async () => {
    const { share: counted, sent } = countedShare();
    const file = counted.getFileClient("no-retry.txt");
    await file.uploadFile("x");
    await file.acquireLease();
    const cases: Array<[() => Promise<unknown>, number, string]> = [
      [() => counted.create(), 409, "ShareAlreadyExists"],
      [() => new ShareLeaseClient(file).acquire(), 409, "LeaseAlreadyPresent"],
      [() => new ShareLeaseClient(file).release(), 409, "LeaseIdMismatchWithLeaseOperation"],
      [() => file.setFileMetadata({ a: "1" }), 412, "LeaseIdMissing"],
      [
        () => file.setFileMetadata({ a: "1" }, { leaseId: "00000000-0000-4000-8000-000000000000" }),
        412,
        "LeaseIdMismatchWithFileOperation",
      ],
      [() => counted.getFileClient("gone.txt").deleteFile(), 404, "ResourceNotFound"],
      [() => new ShareLeaseClient(file).acquire({ leaseDuration: 5 }), 400, "InvalidHeaderValue"],
    ];
    for (const [call, status, code] of cases) {
      sent.requests.length = 0;
      await rejectsWithShareError(call(), { status, code });
      assert.equal(sent.requests.length, 1, `${code} was sent once`);
    }
    await new ShareLeaseClient(file).breakLease();
  });

  test("network failures are retried, then reported as kind 'network'", async () => {
    const port = await closedPort();
    const sent = countingFetch();
    const service = ShareServiceClient.fromConnectionString(
      ts.connectionString.replace(
        /FileEndpoint=http:\/\/127\.0\.0\.1:\d+/,
        `FileEndpoint=http://127.0.0.1:${port}`,
      ),
      { retry: { maxRetries: 2, retryDelayMs: 1, maxRetryDelayMs: 5 }, fetch: sent.fetch },
    );
    const error = await rejectsWithShareError(service.getServiceProperties(), { kind: "network" });
    assert.equal(error.isNetworkError, true);
    assert.equal(error.statusCode, undefined);
    assert.match(error.message, /ECONNREFUSED/);
    assert.equal(sent.requests.length, 3, "first attempt plus two retries");
    const ids = new Set(sent.requests.map((r) => r.headers.get("x-ms-client-request-id")));
    assert.equal(ids.size, 1, "every attempt of one call has the same client request id");
  });

  test("timeout: sent to the service as ?timeout=, and a call that cannot finish in time fails as 'timeout'", async () => {
    const { share: counted, sent } = countedShare();
    const file = counted.getFileClient("timeout.txt");
    await file.uploadFile("timed", { timeout: 30 });
    assert.ok(sent.requests.every((r) => r.url.searchParams.get("timeout") === "30"));
    assert.equal((await file.getFileProperties({ timeout: 2.5 })).size, 5);
    assert.equal(sent.requests.at(-1)?.url.searchParams.get("timeout"), "3", "rounded up to whole seconds");

    const error = await rejectsWithShareError(file.getFileProperties({ timeout: 0.001 }), {
      kind: "timeout",
    });
    assert.equal(error.isTimeout, true);
    assert.equal(error.statusCode, undefined);
    await assert.rejects(file.getFileProperties({ timeout: 0 }), RangeError);
  });

  test("an aborted signal stops a call before it is sent; aborting during a request stops it", async () => {
    const { share: counted, sent } = countedShare();
    const file = counted.getFileClient("abort.txt");
    await file.uploadFile("x");
    sent.requests.length = 0;
    const aborted = AbortSignal.abort(new Error("stop"));
    const error = await rejectsWithShareError(file.getFileProperties({ abortSignal: aborted }), {
      kind: "aborted",
    });
    assert.equal(error.isAborted, true);
    assert.equal(sent.requests.length, 0, "nothing was sent");

    const controller = new AbortController();
    const pending = file.uploadFile(randomBytes(8 * MiB), {
      abortSignal: controller.signal,
      rangeSize: MiB,
      concurrency: 1,
    });
    setImmediate(() => controller.abort());
    await rejectsWithShareError(pending, { kind: "aborted" });
  });

  test("a download aborted half-way (stream) stops fetching ranges and fails as 'aborted'", async () => {
    await bigFile("abort-stream.bin", 16 * MiB);
    const { share: counted, sent } = countedShare();
    const file = counted.getFileClient("abort-stream.bin");
    const controller = new AbortController();
    const download = await file.downloadFile({
      rangeSize: MiB,
      concurrency: 2,
      abortSignal: controller.signal,
    });
    let received = 0;
    let caught: unknown;
    try {
      for await (const chunk of download) {
        received += chunk.byteLength;
        if (received >= 3 * MiB) controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ShareError, String(caught));
    assert.equal(caught.kind, "aborted");
    assert.ok(received >= 3 * MiB && received < 16 * MiB, `received ${received} bytes`);
    const gets = sent.requests.filter((r) => r.method === "GET").length;
    assert.ok(gets < 8, `stopped fetching after the abort (${gets} of 16 ranges requested)`);
    // The server is fine afterwards.
    assert.equal((await file.getFileProperties()).size, 16 * MiB);
  });

  test("a download to a file aborted half-way (toFile) fails as 'aborted' and stops writing", async () => {
    const file = await bigFile("abort-file.bin", 16 * MiB);
    const controller = new AbortController();
    const path = join(scratch, "partial.bin");
    const download = await file.downloadFile({
      rangeSize: MiB,
      concurrency: 2,
      abortSignal: controller.signal,
      onProgress: ({ loadedBytes }) => {
        if (loadedBytes >= 4 * MiB) controller.abort();
      },
    });
    await rejectsWithShareError(download.toFile(path), { kind: "aborted" });
    assert.ok(statSync(path).size < 16 * MiB, "the file holds only part of the content");
  });

  test("a per-call timeout also bounds a download's later ranges", async () => {
    const file = await bigFile("timeout-download.bin", 8 * MiB);
    const download = await file.downloadFile({ rangeSize: MiB, timeout: 30 });
    assert.equal((await download.readAll()).byteLength, 8 * MiB);
  });
});
