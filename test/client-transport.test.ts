/**
 * How `@sharelock/client` uses the network against a live Sharelock server, seen through a TCP
 * proxy in front of it that counts connections and can break or stall them: calls reuse keep-alive
 * connections, a connection the other side closed is replaced without an error, and a download
 * whose bytes stop coming, or that the caller aborts, fails the way the call options say.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { type ShareClient, ShareServiceClient } from "../packages/client/src/index.js";
import { FAST_RETRIES, rejectsWithShareError } from "./helpers/client-kit.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const MiB = 1024 * 1024;

/** Forwards TCP connections to the server; counts them, and can close or stall them. */
class TcpProxy {
  connections = 0;
  readonly #pairs = new Set<[Socket, Socket]>();
  readonly #server: Server;
  port = 0;

  constructor(target: number) {
    this.#server = createServer((client) => {
      this.connections++;
      const upstream = connect(target, "127.0.0.1");
      const pair: [Socket, Socket] = [client, upstream];
      this.#pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.#pairs.delete(pair);
      };
      client.on("close", close).on("error", close);
      upstream.on("close", close).on("error", close);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  /** Closes every connection (as a server closing idle connections would). */
  closeAll(): void {
    for (const [client, upstream] of this.#pairs) {
      client.end();
      upstream.end();
    }
  }

  /** Stops passing the server's bytes on: responses stall. */
  stall(): void {
    for (const [client, upstream] of this.#pairs) {
      upstream.unpipe(client);
      upstream.pause();
    }
  }

  async stop(): Promise<void> {
    for (const [client, upstream] of this.#pairs) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

let ts: TestServer;
let proxy: TcpProxy;
let direct: ShareClient;

before(async () => {
  ts = await startTestServer();
  proxy = await new TcpProxy(new URL(ts.endpoint).port ? Number(new URL(ts.endpoint).port) : 80).start();
  direct = await ShareServiceClient.fromConnectionString(ts.connectionString, FAST_RETRIES).createShare(
    uniqueShareName("transport"),
  );
});
after(async () => {
  await proxy.stop();
  await ts.dispose();
});

/** The share seen through the proxy. */
function viaProxy(): ShareClient {
  const connectionString = ts.connectionString.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${proxy.port}`);
  return ShareServiceClient.fromConnectionString(connectionString, FAST_RETRIES).getShareClient(direct.name);
}

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

describe("connections", () => {
  test("sequential lease cycles use one keep-alive connection; parallel ranges a few", async () => {
    const share = viaProxy();
    const file = share.getFileClient("leased.txt");
    const before = proxy.connections;
    await file.uploadFile("x");
    for (let i = 0; i < 20; i++) {
      const lease = await file.acquireLease();
      await lease.release();
    }
    assert.equal(proxy.connections - before, 1, "41 calls, one connection");

    const data = randomBytes(16 * MiB);
    const big = share.getFileClient("big.bin");
    await big.uploadFile(data, { rangeSize: MiB, concurrency: 4 });
    assert.equal(
      md5(await (await big.downloadFile({ rangeSize: MiB, concurrency: 4 })).readAll()),
      md5(data),
    );
    assert.ok(proxy.connections - before <= 5, `${proxy.connections - before} connections for 4 in flight`);
  });

  test("connections the other side closed are replaced without an error", async () => {
    const file = viaProxy().getFileClient("reconnect.txt");
    await file.uploadFile("first");
    const before = proxy.connections;
    proxy.closeAll();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await file.uploadFile("second");
    assert.equal((await (await file.downloadFile()).readAll()).toString(), "second");
    assert.equal(proxy.connections - before, 1);
  });
});

describe("downloads that stop", () => {
  test("a download whose bytes stop coming fails as 'timeout' after the call's timeout", async () => {
    const data = randomBytes(32 * MiB);
    await direct.getFileClient("stall.bin").uploadFile(data);
    const file = viaProxy().getFileClient("stall.bin");
    const download = await file.downloadFile({ rangeSize: 4 * MiB, concurrency: 2, timeout: 1 });
    let stalled = false;
    const started = Date.now();
    const chunks = download.chunks();
    const error = await (async () => {
      for await (const _ of chunks) {
        if (!stalled) {
          stalled = true;
          proxy.stall();
        }
      }
    })().then(
      () => "completed",
      (e: unknown) => e,
    );
    assert.ok(error instanceof Error, String(error));
    await rejectsWithShareError(Promise.reject(error), { kind: "timeout" });
    assert.ok(Date.now() - started < 10_000);
    proxy.closeAll();
  });

  test("readAll() aborted half-way fails as 'aborted' and the server serves the next call", async () => {
    const data = randomBytes(32 * MiB);
    const file = direct.getFileClient("abort-readall.bin");
    await file.uploadFile(data);
    const controller = new AbortController();
    const download = await file.downloadFile({
      rangeSize: MiB,
      concurrency: 4,
      abortSignal: controller.signal,
      onProgress: ({ loadedBytes }) => {
        if (loadedBytes >= 6 * MiB) controller.abort();
      },
    });
    await rejectsWithShareError(download.readAll(), { kind: "aborted" });
    assert.equal(md5(await (await file.downloadFile()).readAll()), md5(data));
  });
});
