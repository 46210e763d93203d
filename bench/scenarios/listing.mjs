/**
 * Listing a directory (Sharelock) or a container (Azurite) of 10,000 and of 100,000 entries in pages
 * of 5,000 over raw HTTP, timing each page to its last byte; then the servers' RSS, right after the
 * listing and again once it has settled for a few seconds. Both servers are fresh for this scenario. Entries are created with raw pre-signed PUTs on 16 connections, which also
 * gives a create rate. There is no bare-server analogue of a listing, so no limit column.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { MiB } from "../lib/constants.mjs";
import { rssBytes } from "../lib/proc-stats.mjs";
import { dialectFor } from "../lib/raw-dialects.mjs";
import { expectStatus, openClient, send } from "../lib/raw-http.mjs";
import { errorText, median } from "../lib/rows.mjs";
import { startServer } from "../lib/servers.mjs";

const ROLES = ["ours", "peer"];
const KINDS = { ours: "sharelock", peer: "azurite" };
const BASE = { peerName: "Azurite", limitName: "none" };

const entryName = (i) => `f${String(i).padStart(7, "0")}`;

/** Creates `count` empty entries in `dir` with `workers` connections; resolves with entries/s. */
async function populate(server, dialect, dir, count, workers) {
  const setup = openClient(server.origin);
  try {
    const root = await send(setup, dialect.createRoot());
    if (root.status !== 201 && root.status !== 409) expectStatus(root, 201, "create root");
    expectStatus(await send(setup, dialect.createFolder(dir)), 201, `create ${dir}`);
  } finally {
    await setup.close();
  }
  let next = 0;
  const started = performance.now();
  const clients = Array.from({ length: workers }, () => openClient(server.origin));
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (next < count) {
          const i = next++;
          expectStatus(
            await send(client, dialect.createEmpty(dir, entryName(i))),
            201,
            `create ${entryName(i)}`,
          );
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
  return count / ((performance.now() - started) / 1000);
}

/** Lists `dir` page by page; resolves with each page's milliseconds. Checks the entry count. */
async function walk(server, dialect, dir, pageSize, expected) {
  const client = openClient(server.origin);
  try {
    const times = [];
    let marker = "";
    let entries = 0;
    const maxPages = Math.ceil(expected / pageSize) + 2;
    do {
      const req = dialect.listPage(dir, pageSize, marker);
      const started = performance.now();
      const res = await send(client, req, true);
      times.push(performance.now() - started);
      expectStatus(res, 200, "list");
      const page = dialect.parsePage(res.body);
      entries += page.entries;
      marker = page.nextMarker;
    } while (marker && times.length < maxPages);
    if (entries !== expected) throw new Error(`listed ${entries} entries, expected ${expected}`);
    return times;
  } finally {
    await client.close();
  }
}

/** Runs `fn(role)` for each live role; a failure marks that role failed for the rest. */
async function forEachRole(state, fn) {
  for (const role of ROLES) {
    if (state.errors[role]) continue;
    try {
      await fn(role);
    } catch (err) {
      state.errors[role] = errorText(err);
      state.log(`    ${role}: error: ${state.errors[role]}`);
    }
  }
}

/** A row from per-role values (or the role's error). */
function row(spec, state, values) {
  const cells = {};
  for (const role of ROLES) {
    const value = values[role];
    if (value !== undefined) cells[role] = { value, runs: [value] };
    else if (state.errors[role]) cells[role] = { error: state.errors[role] };
  }
  return { ...BASE, ...spec, cells };
}

async function listingOf(state, sizes, count, dir, label, id) {
  const { servers, dialects, log } = state;
  const createRate = {};
  log(`listing: creating ${count.toLocaleString("en-US")} entries`);
  await forEachRole(state, async (role) => {
    createRate[role] = await populate(servers[role], dialects[role], dir, count, sizes.workers);
    log(`    ${role}: ${Math.round(createRate[role])} entries/s`);
  });
  log(`listing: ${sizes.listWalks} walks in pages of ${sizes.pageSize.toLocaleString("en-US")}`);
  const walks = { ours: [], peer: [] };
  for (let w = 0; w < sizes.listWalks; w++) {
    await forEachRole(state, async (role) => {
      walks[role].push(await walk(servers[role], dialects[role], dir, sizes.pageSize, count));
    });
  }
  const first = {};
  const last = {};
  const growth = {};
  for (const role of ROLES) {
    if (state.errors[role] || walks[role].length === 0) continue;
    first[role] = median(walks[role].map((times) => times[0] ?? Number.NaN));
    last[role] = median(walks[role].map((times) => times[times.length - 1] ?? Number.NaN));
    growth[role] = last[role] / first[role];
    log(`    ${role}: first page ${first[role].toFixed(1)} ms, last page ${last[role].toFixed(1)} ms`);
  }
  return [
    row(
      {
        id: `create-empty-${id}`,
        title: `create empty entries, raw, ${sizes.workers} conns (${label})`,
        unit: "files/s",
        better: "higher",
      },
      state,
      createRate,
    ),
    row(
      { id: `listing-${id}-first`, title: `list ${label}: first page`, unit: "ms", better: "lower" },
      state,
      first,
    ),
    row(
      { id: `listing-${id}-last`, title: `list ${label}: last page`, unit: "ms", better: "lower" },
      state,
      last,
    ),
    row(
      {
        id: `listing-${id}-last-vs-first`,
        title: `list ${label}: last page / first page`,
        unit: "ratio",
        better: "lower",
      },
      state,
      growth,
    ),
  ];
}

/** @param {any} ctx */
export async function listingScenario(ctx) {
  const { sizes, log } = ctx;
  const state = { servers: {}, dialects: {}, errors: {}, log };
  const rows = [];
  try {
    await forEachRole(state, async (role) => {
      state.servers[role] = await startServer(KINDS[role], { cpuProfDir: ctx.profileDir });
      state.dialects[role] = dialectFor(KINDS[role], "bench-list");
    });
    const large = sizes.listLarge.toLocaleString("en-US");
    const small = sizes.listSmall.toLocaleString("en-US");
    rows.push(...(await listingOf(state, sizes, sizes.listLarge, "large", `${large} entries`, "large")));
    const rss = {};
    await forEachRole(state, async (role) => {
      rss[role] = rssBytes(state.servers[role].pid) / MiB;
    });
    await sleep(sizes.rssSettleMs);
    const settled = {};
    await forEachRole(state, async (role) => {
      settled[role] = rssBytes(state.servers[role].pid) / MiB;
    });
    rows.push(
      row(
        {
          id: "rss-after-files",
          title: `server RSS after ${large} files, just listed`,
          unit: "MiB",
          better: "lower",
        },
        state,
        rss,
      ),
      row(
        {
          id: "rss-after-files-settled",
          title: `… the same ${sizes.rssSettleMs / 1000} s later`,
          unit: "MiB",
          better: "lower",
        },
        state,
        settled,
      ),
    );
    rows.push(...(await listingOf(state, sizes, sizes.listSmall, "small", `${small} entries`, "small")));
  } finally {
    await Promise.all(Object.values(state.servers).map((server) => server.close()));
  }
  return rows;
}
