import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type ShareClient,
  ShareDirectoryClient,
  ShareError,
  type ShareFileClient,
  ShareLeaseClient,
  ShareServiceClient,
} from "../src/index.js";
import { LeaseAutoRenewer } from "../src/lease-auto-renew.js";
import { type FakeFilesService, withFakeService } from "./helpers/fake-files-service.js";
import type { FakeResponse } from "./helpers/fake-server.js";

const fast = { retry: { maxRetries: 1, retryDelayMs: 1, maxRetryDelayMs: 5 } };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds (timing tests must survive a loaded machine). */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function setup(fake: FakeFilesService): Promise<{ share: ShareClient; file: ShareFileClient }> {
  const service = ShareServiceClient.fromConnectionString(fake.connectionString, fast);
  const share = await service.createShare("documents");
  const file = share.getFileClient("important_file.txt");
  await file.uploadFile("original");
  fake.requests.length = 0;
  return { share, file };
}

const leaseRequests = (fake: FakeFilesService) =>
  fake.requests.filter((r) => r.url.searchParams.get("comp") === "lease");

describe("ShareLeaseClient wire format", () => {
  test("file acquire: PUT ?comp=lease, action, infinite duration by default, proposes its own id", async () => {
    await withFakeService(async (fake) => {
      const { file } = await setup(fake);
      const lease = new ShareLeaseClient(file);
      assert.match(lease.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const proposed = lease.id;
      assert.equal(await lease.acquire(), lease, "acquire resolves to the lease client");
      const [request] = leaseRequests(fake);
      assert.equal(request?.method, "PUT");
      assert.equal(request?.rawUrl, "/devstoreaccount1/documents/important_file.txt?comp=lease");
      assert.equal(request?.headers["x-ms-lease-action"], "acquire");
      assert.equal(request?.headers["x-ms-lease-duration"], "-1");
      assert.equal(request?.headers["x-ms-proposed-lease-id"], proposed);
      assert.equal(request?.headers["x-ms-lease-id"], undefined);
      assert.equal(lease.id, proposed);
      assert.ok(lease.etag);
      assert.ok(lease.lastModified instanceof Date);
      assert.equal(lease.isHeld, true);
      assert.equal(lease.leaseDuration, -1);
    });
  });

  test("share lease: ?restype=share&comp=lease; renew, change and release send the right headers", async () => {
    await withFakeService(async (fake) => {
      const { share } = await setup(fake);
      const originalId = "11111111-1111-4111-8111-111111111111";
      const newId = "22222222-2222-4222-8222-222222222222";
      const lease = new ShareLeaseClient(share, originalId);
      await lease.acquire({ leaseDuration: 30 });
      await lease.renew();
      await lease.change(newId);
      assert.equal(lease.id, newId);
      await lease.release();
      assert.equal(lease.id, newId, "the id is kept after release");
      assert.equal(lease.isHeld, false);
      const requests = leaseRequests(fake);
      assert.deepEqual(
        requests.map((r) => [
          r.rawUrl,
          r.headers["x-ms-lease-action"],
          r.headers["x-ms-lease-id"],
          r.headers["x-ms-proposed-lease-id"],
          r.headers["x-ms-lease-duration"],
        ]),
        [
          ["/devstoreaccount1/documents?restype=share&comp=lease", "acquire", undefined, originalId, "30"],
          ["/devstoreaccount1/documents?restype=share&comp=lease", "renew", originalId, undefined, undefined],
          ["/devstoreaccount1/documents?restype=share&comp=lease", "change", originalId, newId, undefined],
          ["/devstoreaccount1/documents?restype=share&comp=lease", "release", newId, undefined, undefined],
        ],
      );
    });
  });

  test("a lease on a share snapshot carries sharesnapshot", async () => {
    await withFakeService(async (fake) => {
      const { share } = await setup(fake);
      const snapshot = share.withSnapshot("2024-01-01T00:00:00.0000000Z");
      await new ShareLeaseClient(snapshot).acquire().catch(() => undefined);
      assert.equal(
        fake.requests[0]?.rawUrl,
        "/devstoreaccount1/documents?restype=share&comp=lease&sharesnapshot=2024-01-01T00%3A00%3A00.0000000Z",
      );
    });
  });

  test("breakLease sends period 0 when none is given, never a lease id, and returns x-ms-lease-time", async () => {
    await withFakeService(async (fake) => {
      const { share, file } = await setup(fake);
      await new ShareLeaseClient(file).acquire();
      const breaker = new ShareLeaseClient(file);
      assert.equal(await breaker.breakLease(), 0);
      await share.acquireLease();
      assert.equal(await new ShareLeaseClient(share).breakLease({ leaseBreakPeriod: 30 }), 30);
      const breaks = leaseRequests(fake).filter((r) => r.headers["x-ms-lease-action"] === "break");
      assert.deepEqual(
        breaks.map((r) => [r.headers["x-ms-lease-break-period"], r.headers["x-ms-lease-id"]]),
        [
          ["0", undefined],
          ["30", undefined],
        ],
      );
    });
  });

  test("a missing x-ms-lease-time counts as 0; a file service refusing the implicit period gets a plain break", async () => {
    await withFakeService(async (fake) => {
      const { file, share } = await setup(fake);
      fake.intercept = (request): FakeResponse | undefined => {
        if (request.headers["x-ms-lease-action"] !== "break") return undefined;
        if (request.headers["x-ms-lease-break-period"] !== undefined) {
          return {
            status: 400,
            headers: { "x-ms-error-code": "InvalidHeaderValue" },
            body: "<Error><Code>InvalidHeaderValue</Code><Message>m</Message><HeaderName>x-ms-lease-break-period</HeaderName><HeaderValue>0</HeaderValue></Error>",
          };
        }
        return { status: 202, headers: { etag: '"e"' } };
      };
      assert.equal(await new ShareLeaseClient(file).breakLease(), 0);
      const breaks = leaseRequests(fake);
      assert.deepEqual(
        breaks.map((r) => r.headers["x-ms-lease-break-period"]),
        ["0", undefined],
      );
      // An explicit period, or a share lease, is not silently dropped.
      await assert.rejects(new ShareLeaseClient(file).breakLease({ leaseBreakPeriod: 10 }), ShareError);
      await assert.rejects(new ShareLeaseClient(share).breakLease(), ShareError);
    });
  });

  test("argument validation", async () => {
    await withFakeService(async (fake) => {
      const { file } = await setup(fake);
      const lease = new ShareLeaseClient(file);
      await assert.rejects(lease.acquire({ leaseDuration: 1.5 }), TypeError);
      await assert.rejects(lease.breakLease({ leaseBreakPeriod: 0.5 }), TypeError);
      await assert.rejects(lease.change(""), TypeError);
      assert.equal(fake.requests.length, 0);
      // Ranges are the service's to check: the seed's 10-second lease is sent and the service answers.
      fake.intercept = (request) =>
        request.headers["x-ms-lease-duration"] === "10"
          ? {
              status: 400,
              headers: { "x-ms-error-code": "InvalidHeaderValue" },
              body: "<Error><Code>InvalidHeaderValue</Code><Message>m</Message><HeaderName>x-ms-lease-duration</HeaderName><HeaderValue>10</HeaderValue></Error>",
            }
          : undefined;
      const refused = await lease.acquire({ leaseDuration: 10 }).catch((e: unknown) => e);
      assert.ok(refused instanceof ShareError);
      assert.equal(refused.errorCode, "InvalidHeaderValue");
      assert.equal(refused.details.HeaderValue, "10");
      assert.equal(lease.isHeld, false);
      const directory = new ShareDirectoryClient(`${fake.accountUrl}/documents/d`);
      assert.throws(() => new ShareLeaseClient(directory as unknown as ShareFileClient), TypeError);
    });
  });
});

describe("ShareLeaseClient semantics (seed examples)", () => {
  test("basic lease operations: writes need the lease id; others fail with LeaseAlreadyPresent", async () => {
    await withFakeService(async (fake) => {
      const { file } = await setup(fake);
      const leaseId = "33333333-3333-4333-8333-333333333333";
      const lease = new ShareLeaseClient(file, leaseId);
      await lease.acquire({ leaseDuration: 60 });
      assert.equal(lease.id, leaseId);
      await file.setFileMetadata({ locked: "true", locked_by: "process_123" }, { leaseId: lease.id });
      await file.uploadFile("Updated content under lease", { overwrite: true, leaseId: lease.id });
      const missing = await file.setFileMetadata({ a: "b" }).catch((e: unknown) => e);
      assert.ok(missing instanceof ShareError);
      assert.equal(missing.errorCode, "LeaseIdMissing");
      const other = await new ShareLeaseClient(file).acquire().catch((e: unknown) => e);
      assert.ok(other instanceof ShareError);
      assert.equal(other.errorCode, "LeaseAlreadyPresent");
      assert.equal(other.statusCode, 409);
      const props = await file.getFileProperties();
      assert.deepEqual(props.lease, { status: "locked", state: "leased", duration: "fixed" });
      await lease.release();
      assert.deepEqual((await file.getFileProperties()).lease, {
        status: "unlocked",
        state: "available",
        duration: undefined,
      });
    });
  });

  test("await using releases the lease at scope exit, even when the body throws", async () => {
    await withFakeService(async (fake) => {
      const { file } = await setup(fake);
      let leaseId = "";
      {
        await using lease = await file.acquireLease();
        leaseId = lease.id;
        await file.uploadFile("Content updated with automatic lease management", { leaseId: lease.id });
        assert.equal((await file.getFileProperties()).lease.state, "leased");
      }
      const release = leaseRequests(fake).at(-1);
      assert.equal(release?.headers["x-ms-lease-action"], "release");
      assert.equal(release?.headers["x-ms-lease-id"], leaseId);
      assert.equal((await file.getFileProperties()).lease.state, "available");

      await assert.rejects(async () => {
        await using lease = await new ShareLeaseClient(file).acquire();
        assert.ok(lease.isHeld);
        throw new Error("work failed");
      }, /work failed/);
      assert.equal((await file.getFileProperties()).lease.state, "available");

      // Not acquired, or already released: disposal sends nothing.
      const before = fake.requests.length;
      {
        await using idle = new ShareLeaseClient(file);
        assert.equal(idle.isHeld, false);
      }
      {
        await using released = await file.acquireLease();
        await released.release();
      }
      assert.equal(fake.requests.length, before + 2);
    });
  });

  test("break then write without the old lease works; release by the old holder still answers", async () => {
    await withFakeService(async (fake) => {
      const { file } = await setup(fake);
      const holder = await new ShareLeaseClient(file).acquire();
      const remaining = await new ShareLeaseClient(file).breakLease();
      assert.equal(remaining, 0);
      const failed = await file.uploadFile("This will fail", { leaseId: holder.id }).catch((e: unknown) => e);
      assert.ok(failed instanceof ShareError);
      assert.equal(failed.statusCode, 412);
      await file.uploadFile("This works after lease break", { overwrite: true });
      assert.equal((await (await file.downloadFile()).readAll()).toString(), "This works after lease break");
    });
  });
});

describe("auto-renewal", () => {
  test("renews a fixed lease on its interval until released", async () => {
    await withFakeService(async (fake) => {
      const { file } = await setup(fake);
      const started = Date.now();
      const lease = await file.acquireLease({ leaseDuration: 15, autoRenew: { intervalMs: 40 } });
      try {
        assert.equal(lease.isAutoRenewing, true);
        const renewals = () => leaseRequests(fake).filter((r) => r.headers["x-ms-lease-action"] === "renew");
        await waitFor(() => renewals().length >= 3, "three renewals");
        assert.ok(Date.now() - started >= 3 * 40 - 5, "not faster than the interval");
        assert.ok(renewals().every((r) => r.headers["x-ms-lease-id"] === lease.id));
      } finally {
        lease.stopAutoRenew();
      }
      lease.startAutoRenew({ intervalMs: 40 });
      await lease.release();
      assert.equal(lease.isAutoRenewing, false);
      const count = leaseRequests(fake).length;
      await sleep(120);
      assert.equal(leaseRequests(fake).length, count, "no renewals after release");
    });
  });

  test("infinite leases need no renewal", async () => {
    await withFakeService(async (fake) => {
      const { file } = await setup(fake);
      const lease = await file.acquireLease({ autoRenew: true });
      assert.equal(lease.isAutoRenewing, false);
      await lease.release();
    });
  });

  test("a refused renewal is a loss: onLost, aborted signal, next call rejects once, then calls work", async () => {
    await withFakeService(async (fake) => {
      const { file } = await setup(fake);
      const lost: ShareError[] = [];
      const lease = await new ShareLeaseClient(file).acquire({
        leaseDuration: 15,
        autoRenew: { intervalMs: 30, onLost: (error) => lost.push(error) },
      });
      // Someone else breaks the lease: renewals are now refused.
      await new ShareLeaseClient(file).breakLease();
      await waitFor(() => lost.length > 0, "the loss").catch((error: unknown) => {
        lease.stopAutoRenew();
        throw error;
      });
      await sleep(50);
      assert.equal(lost.length, 1, "reported once");
      const [error] = lost;
      assert.ok(error instanceof ShareError);
      assert.equal(error.statusCode, 409);
      assert.equal(error.errorCode, "LeaseIsBrokenAndCannotBeRenewed");
      assert.equal(lease.signal.aborted, true);
      assert.equal(lease.signal.reason, error);
      assert.equal(lease.isHeld, false);
      assert.equal(lease.isAutoRenewing, false);
      assert.equal(lease.lostError, error);
      await assert.rejects(lease.renew(), (e) => e === error);
      // Reported once; the lease client is usable again.
      await lease.acquire({ leaseDuration: 15 });
      assert.equal(lease.signal.aborted, false);
      assert.equal(lease.lostError, undefined);
      await lease.release();
    });
  });

  test("a loss nobody has seen makes disposal reject", async () => {
    await withFakeService(async (fake) => {
      const { file } = await setup(fake);
      const attempt = async () => {
        await using lease = await file.acquireLease({ leaseDuration: 15, autoRenew: { intervalMs: 20 } });
        await new ShareLeaseClient(file).breakLease();
        await waitFor(() => !lease.isHeld, "the loss");
      };
      await assert.rejects(
        attempt(),
        (e) => e instanceof ShareError && e.errorCode === "LeaseIsBrokenAndCannotBeRenewed",
      );
    });
  });

  test("a transient renewal failure is retried while the lease is still valid", async () => {
    await withFakeService(async (fake) => {
      const { file } = await setup(fake);
      let failures = 0;
      fake.intercept = (request) => {
        if (request.headers["x-ms-lease-action"] === "renew" && failures < 4) {
          failures++;
          return { status: 500, headers: { "x-ms-error-code": "InternalError" } };
        }
        return undefined;
      };
      const lost: unknown[] = [];
      const lease = await file.acquireLease({
        leaseDuration: 15,
        autoRenew: { intervalMs: 30, onLost: (e) => lost.push(e) },
      });
      try {
        const renewals = () =>
          leaseRequests(fake).filter((r) => r.headers["x-ms-lease-action"] === "renew").length;
        // Four refused attempts (two renewals with one pipeline retry each), then successes.
        await waitFor(() => renewals() >= 6, "renewals after the failures");
        assert.equal(failures, 4);
        assert.deepEqual(lost, []);
        assert.equal(lease.isAutoRenewing, true);
      } finally {
        await lease.release();
      }
    });
  });
});

describe("LeaseAutoRenewer", () => {
  // The renewer's timers are unref'd (renewal alone does not keep a process alive), so these tests
  // hold the event loop open themselves.
  const keepAlive = () => setInterval(() => undefined, 1000);

  test("reports expiry when no renewal succeeds within the duration", async () => {
    const alive = keepAlive();
    const started = Date.now();
    let calls = 0;
    const lost = await new Promise<ShareError>((resolve) => {
      const renewer = new LeaseAutoRenewer(
        async () => {
          calls++;
          throw new ShareError({ kind: "network", message: "down" });
        },
        0.3,
        undefined,
        resolve,
      );
      renewer.start(Date.now());
    });
    clearInterval(alive);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 5000, `lost after ${elapsed} ms`);
    assert.ok(calls >= 2, `tried ${calls} times`);
    assert.match(lost.message, /expired/);
    assert.equal(lost.kind, "network");
  });

  test("renewals happen every interval and stop() stops them", async () => {
    const alive = keepAlive();
    let calls = 0;
    const renewer = new LeaseAutoRenewer(
      async () => {
        calls++;
      },
      0.3,
      50,
      () => assert.fail("not lost"),
    );
    const started = Date.now();
    renewer.start(started);
    await waitFor(() => calls >= 3, "three renewals");
    renewer.stop();
    assert.ok(Date.now() - started >= 3 * 50 - 5, "not faster than the interval");
    const seen = calls;
    await sleep(120);
    clearInterval(alive);
    assert.equal(calls, seen);
    assert.throws(
      () =>
        new LeaseAutoRenewer(
          async () => {},
          15,
          15_000,
          () => {},
        ),
      RangeError,
    );
  });
});
