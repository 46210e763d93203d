/**
 * The same work through each official SDK: @azure/storage-file-share against Sharelock and the bare
 * server, @azure/storage-blob against Azurite (blob lease for file lease, block-blob upload for file
 * upload, list blobs for list files). Every call carries a timeout.
 */
import { BlobServiceClient } from "@azure/storage-blob";
import { ShareServiceClient } from "@azure/storage-file-share";

/** Per-call limit for SDK calls, in milliseconds. */
const CALL_TIMEOUT_MS = 60_000;

const call = () => ({ abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS) });

function ignoreConflict(err) {
  if (err?.statusCode !== 409) throw err;
}

/**
 * @typedef {object} SdkClient
 * @property {(leaseFiles: number) => Promise<void>} prepare - creates the share/container and the lease files.
 * @property {(index: number) => { cycle: () => Promise<number> }} leaser - acquire+release on lease file `index`.
 * @property {(name: string, data: Buffer) => Promise<number>} createDelete - creates a file with `data`, deletes it.
 * @property {(name: string, data: Buffer, rangeSize: number, concurrency: number) => Promise<void>} upload
 * @property {(name: string, into: Buffer, rangeSize: number, concurrency: number) => Promise<void>} download
 */

/**
 * The official Azure Files SDK against a Sharelock (or bare) server.
 * @param {string} connectionString
 * @param {string} shareName
 * @returns {SdkClient}
 */
export function officialFilesClient(connectionString, shareName) {
  const share = ShareServiceClient.fromConnectionString(connectionString).getShareClient(shareName);
  const file = (name) => share.rootDirectoryClient.getFileClient(name);
  return {
    async prepare(leaseFiles) {
      await share.create(call()).catch(ignoreConflict);
      for (let i = 0; i < leaseFiles; i++) await file(`lease-${i}`).create(0, call());
    },
    leaser(index) {
      const lease = file(`lease-${index}`).getShareLeaseClient();
      return {
        async cycle() {
          await lease.acquireLease(-1, call());
          await lease.releaseLease(call());
          return 2;
        },
      };
    },
    async createDelete(name, data) {
      const client = file(name);
      // uploadData = Create File + Put Range: the Files API needs two calls where blobs need one.
      await client.uploadData(data, call());
      await client.delete(call());
      return 3;
    },
    async upload(name, data, rangeSize, concurrency) {
      await file(name).uploadData(data, { rangeSize, concurrency, ...call() });
    },
    async download(name, into, rangeSize, concurrency) {
      await file(name).downloadToBuffer(into, 0, into.length, { rangeSize, concurrency, ...call() });
    },
  };
}

/**
 * The official Azure Blob SDK against Azurite.
 * @param {string} connectionString
 * @param {string} containerName
 * @returns {SdkClient}
 */
export function officialBlobsClient(connectionString, containerName) {
  const container =
    BlobServiceClient.fromConnectionString(connectionString).getContainerClient(containerName);
  const blob = (name) => container.getBlockBlobClient(name);
  return {
    async prepare(leaseFiles) {
      await container.create(call()).catch(ignoreConflict);
      for (let i = 0; i < leaseFiles; i++) await blob(`lease-${i}`).upload(Buffer.alloc(0), 0, call());
    },
    leaser(index) {
      const lease = blob(`lease-${index}`).getBlobLeaseClient();
      return {
        async cycle() {
          await lease.acquireLease(-1, call());
          await lease.releaseLease(call());
          return 2;
        },
      };
    },
    async createDelete(name, data) {
      const client = blob(name);
      await client.upload(data, data.length, call());
      await client.delete(call());
      return 2;
    },
    async upload(name, data, rangeSize, concurrency) {
      // Staged 4 MiB blocks + Put Block List, never one single-shot Put Blob.
      await blob(name).uploadData(data, {
        blockSize: rangeSize,
        maxSingleShotSize: rangeSize,
        concurrency,
        ...call(),
      });
    },
    async download(name, into, rangeSize, concurrency) {
      await blob(name).downloadToBuffer(into, 0, into.length, {
        blockSize: rangeSize,
        concurrency,
        ...call(),
      });
    },
  };
}

/** The official SDK client that fits a kind of server. */
export function officialClientFor(server, root) {
  return server.kind === "azurite"
    ? officialBlobsClient(server.connectionString, root)
    : officialFilesClient(server.connectionString, root);
}
