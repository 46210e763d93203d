/** Constants shared by every part of the bench. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The well-known development account that Sharelock and Azurite both accept. */
export const ACCOUNT = "devstoreaccount1";

/** Its documented development key (base64). */
export const ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** The REST version sent on raw requests (both servers accept it). */
export const REST_VERSION = "2025-05-05";

/** The loopback address every server listens on and every request goes to. */
export const HOST = "127.0.0.1";

/** Folder of the bench package. */
export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The repository root. */
export const REPO_DIR = join(BENCH_DIR, "..");

/** Where results are written. */
export const RESULTS_DIR = join(BENCH_DIR, "results");

/** The Sharelock CLI entry point (built by `npx tsc -b`). */
export const SHARELOCK_MAIN = join(REPO_DIR, "packages/cli/dist/main.cjs");

/** Our SDK's entry point (built by `npx tsc -b`); may not exist yet. */
export const OUR_CLIENT_MAIN = join(REPO_DIR, "packages/client/dist/index.js");

/** Azurite's blob service entry point, inside the bench's own node_modules. */
export const AZURITE_BLOB_MAIN = join(BENCH_DIR, "node_modules/azurite/dist/src/blob/main.js");

/** The bare node:http limit server. */
export const BARE_SERVER_MAIN = join(BENCH_DIR, "lib/bare-server.mjs");

/** One mebibyte. */
export const MiB = 1024 * 1024;

/** One kibibyte. */
export const KiB = 1024;
