/**
 * A large upload and download in 4 MiB ranges with 4 in flight, through the official SDKs
 * (Put Range for files, Put Block + Put Block List for blobs; ranged GETs for both). Every download
 * is compared with what was uploaded.
 */
import { randomFillSync } from "node:crypto";
import { performance } from "node:perf_hooks";
import { MiB } from "../lib/constants.mjs";
import { interleaved, ROLES, rowFrom } from "../lib/rows.mjs";

/** @param {any} ctx */
export async function transferScenario(ctx) {
  const { sizes, log } = ctx;
  const size = sizes.transferBytes;
  const source = randomFillSync(Buffer.allocUnsafe(size));
  const target = Buffer.alloc(size);
  const label = `${size / MiB} MiB`;
  log(
    `${label} upload and download, ${sizes.rangeBytes / MiB} MiB ranges, concurrency ${sizes.transferConcurrency}`,
  );
  const outcome = await interleaved(
    ROLES,
    sizes.rounds,
    async (role, round) => {
      const client = ctx.clients[role];
      const name = `big-${round}`;
      let started = performance.now();
      await client.upload(name, source, sizes.rangeBytes, sizes.transferConcurrency);
      const uploadSeconds = (performance.now() - started) / 1000;
      target.fill(0);
      started = performance.now();
      await client.download(name, target, sizes.rangeBytes, sizes.transferConcurrency);
      const downloadSeconds = (performance.now() - started) / 1000;
      if (!target.equals(source)) throw new Error("downloaded bytes differ from the uploaded ones");
      return { uploadMBps: size / 1e6 / uploadSeconds, downloadMBps: size / 1e6 / downloadSeconds };
    },
    log,
    ctx.unavailable,
  );
  return [
    rowFrom(
      { id: "upload", title: `${label} upload, SDK, 4 MiB × 4`, unit: "MB/s", better: "higher" },
      outcome,
      "uploadMBps",
    ),
    rowFrom(
      { id: "download", title: `${label} download, SDK, 4 MiB × 4`, unit: "MB/s", better: "higher" },
      outcome,
      "downloadMBps",
    ),
  ];
}
