import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { type ShareFileClient, ShareServiceClient } from "@azure/storage-file-share";
import { outcomeOf } from "./helpers/lease-kit.js";
import { uniqueShareName } from "./helpers/names.js";
import { startTestServer, type TestServer } from "./helpers/server.js";

const CLIENTS = 32;
const ROUNDS = 200;

let ts: TestServer;
let clients: ShareFileClient[];

before(async () => {
  ts = await startTestServer();
  const shareName = uniqueShareName("race");
  const first = ShareServiceClient.fromConnectionString(ts.connectionString).getShareClient(shareName);
  await first.create();
  await first.rootDirectoryClient.getFileClient("contended.bin").create(1024);
  // 32 independent SDK clients (own pipelines and connections) for the same file.
  clients = Array.from({ length: CLIENTS }, () =>
    ShareServiceClient.fromConnectionString(ts.connectionString)
      .getShareClient(shareName)
      .rootDirectoryClient.getFileClient("contended.bin"),
  );
});
after(async () => ts.dispose());

test(`${CLIENTS} concurrent clients acquire one file lease: exactly one 201, the rest 409, ${ROUNDS} rounds`, async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const ids = clients.map(() => randomUUID());
    const outcomes = await Promise.all(
      clients.map((c, i) => outcomeOf(c.getShareLeaseClient(ids[i]).acquireLease(-1))),
    );
    const winners = outcomes.flatMap((o, i) => (o.status === 201 ? [i] : []));
    assert.equal(winners.length, 1, `round ${round}: ${winners.length} clients got the lease`);
    const losers = outcomes.filter((o) => o.status !== 201);
    assert.ok(
      losers.every((o) => o.status === 409 && o.code === "LeaseAlreadyPresent"),
      `round ${round}: losers answered ${[...new Set(losers.map((o) => `${o.status} ${o.code}`))].join(", ")}`,
    );
    const winner = winners[0] as number;
    const winnerId = ids[winner] as string;
    assert.equal(outcomes[winner]?.header("x-ms-lease-id"), winnerId);
    // The stored lease is the winner's: its release succeeds (and would fail for any other id).
    const released = await clients[(winner + 1) % CLIENTS]?.getShareLeaseClient(winnerId).releaseLease();
    assert.equal(released?._response.status, 200);
  }
});
