/**
 * Our SDK (packages/client) doing the same work as the official one, loaded only if it is built and
 * exports ShareFileClient; otherwise the scenarios that need it report "n/a (client not built)".
 */
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { OUR_CLIENT_MAIN } from "./constants.mjs";

const CALL_TIMEOUT_MS = 60_000;
const call = () => ({ abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) });

/**
 * Our SDK's module, or the reason it cannot be used.
 * @returns {Promise<{ module?: any, unavailable?: string }>}
 */
export async function loadOurClient() {
  if (!existsSync(OUR_CLIENT_MAIN)) return { unavailable: "n/a (client not built)" };
  try {
    const module = await import(pathToFileURL(OUR_CLIENT_MAIN).href);
    if (typeof module.ShareFileClient !== "function") return { unavailable: "n/a (client not built)" };
    return { module };
  } catch (err) {
    return { unavailable: `n/a (client does not load: ${err.message})` };
  }
}

/**
 * Our SDK against a Sharelock server: only the operations the SDK comparison needs.
 * Fails with a clear message when a method the bench uses is missing.
 * @param {any} module - packages/client/dist/index.js
 * @param {string} connectionString
 * @param {string} shareName
 */
export function ourFilesClient(module, connectionString, shareName) {
  const file = (name) => module.ShareFileClient.fromConnectionString(connectionString, shareName, name);
  const need = (object, method) => {
    if (typeof object[method] !== "function") throw new Error(`our SDK has no ${method}() yet`);
  };
  return {
    leaser(index) {
      const client = file(`lease-${index}`);
      need(client, "acquireLease");
      return {
        async cycle() {
          const lease = await client.acquireLease(call());
          need(lease, "release");
          await lease.release(call());
          return 2;
        },
      };
    },
    async upload(name, data, rangeSize, concurrency) {
      const client = file(name);
      need(client, "uploadFile");
      await client.uploadFile(data, { rangeSize, concurrency, ...call() });
    },
    async download(name, into, rangeSize, concurrency) {
      const client = file(name);
      need(client, "downloadFile");
      const download = await client.downloadFile({ rangeSize, concurrency, ...call() });
      // Into the caller's buffer, as the official SDK's downloadToBuffer(buffer) does; readAll()
      // (a new buffer each time) where an older build has no readInto.
      const length =
        typeof download.readInto === "function"
          ? await download.readInto(into)
          : (await download.readAll()).length;
      if (length !== into.length) throw new Error(`downloaded ${length} bytes, expected ${into.length}`);
    },
  };
}
