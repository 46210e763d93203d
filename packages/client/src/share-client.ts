import {
  type ClientContext,
  type ClientOptions,
  childOptions,
  displayUrl,
  resolveClient,
  sasUrl,
  sendRequest,
  sharedKeyOf,
} from "./client-context.js";
import { connectionTarget } from "./connection-target.js";
import type { Credential } from "./credentials/credential.js";
import { type CreateIfNotExistsResult, listDirectory, ShareDirectoryClient } from "./directory-client.js";
import { ShareFileClient } from "./file-client.js";
import { type LeaseAcquireOptions, ShareLeaseClient } from "./lease-client.js";
import { registerLeaseTarget } from "./lease-target.js";
import { parseShareStats } from "./listing-xml.js";
import type {
  DirectoryListPage,
  DirectoryOrFileItem,
  ResponseInfo,
  ShareProperties,
  ShareStats,
  WriteResult,
} from "./models.js";
import type {
  DirectoryCreateOptions,
  LeaseCallOptions,
  ListDirectoriesAndFilesOptions,
  ShareCreateOptions,
  ShareDeleteOptions,
  SharePropertiesUpdate,
} from "./options.js";
import type { PagedAsyncIterableIterator } from "./paging.js";
import { ShareError } from "./pipeline/errors.js";
import type { CallOptions } from "./pipeline/pipeline.js";
import { setLeaseHeader, setMetadataHeaders } from "./request-headers.js";
import {
  dateHeader,
  header,
  intHeader,
  leaseFromHeaders,
  metadataFromHeaders,
  responseInfo,
  writeResult,
} from "./response-headers.js";
import { generateShareSas, type ShareSasOptions } from "./sas/file-sas.js";
import { buildUrl, splitPath } from "./urls.js";

/** The result of creating a share. */
export interface ShareCreateResult extends WriteResult {
  /** The quota the share got, in GiB. */
  quota?: number | undefined;
}

/** The result of creating a share snapshot. */
export interface ShareSnapshotResult extends WriteResult {
  /** The snapshot's time stamp; pass it to `withSnapshot` or `getShareClient(name, snapshot)`. */
  snapshot: string;
}

/**
 * A file share: create, delete, properties, quota, metadata, statistics, snapshots, leases, and
 * the directories and files in it.
 *
 * @example
 * ```ts
 * const share = ShareClient.fromConnectionString(connectionString, "protected-share");
 * await using lease = await share.acquireLease();
 * await share.setShareMetadata({ maintenance_mode: "true" }, { leaseId: lease.id });
 * ```
 */
export class ShareClient {
  readonly #context: ClientContext;
  readonly #name: string;
  readonly #snapshot: string | undefined;

  /**
   * @param url - The share URL, host-style (`https://<account>.file.core.windows.net/<share>`) or
   *   path-style (`http://127.0.0.1:10004/<account>/<share>`), optionally with a SAS token and
   *   `sharesnapshot`.
   * @param credential - How to authorize; default anonymous (or the URL's SAS token).
   * @param options - Retry, fetch and addressing options.
   * @throws TypeError for a URL without a share name.
   */
  constructor(url: string, credential?: Credential, options?: ClientOptions) {
    const resolved = resolveClient(url, credential, options, "resource");
    const name = resolved.segments[0];
    if (name === undefined || resolved.segments.length !== 1) {
      throw new TypeError(`A share URL has exactly one path segment after the account: ${url}`);
    }
    this.#context = resolved.context;
    this.#name = name;
    this.#snapshot = resolved.snapshot;
    registerLeaseTarget(this, {
      kind: "share",
      context: this.#context,
      segments: [name],
      snapshot: this.#snapshot,
    });
  }

  /** Creates a client for a share from a connection string. */
  static fromConnectionString(
    connectionString: string,
    shareName: string,
    options?: ClientOptions,
  ): ShareClient {
    const target = connectionTarget(connectionString, shareName, undefined, options);
    return new ShareClient(target.url, target.credential, target.options);
  }

  /** The share URL (with `sharesnapshot` and any SAS token). */
  get url(): string {
    return displayUrl(this.#context, [this.#name], this.#snapshot);
  }

  /** The storage account name. */
  get accountName(): string {
    return this.#context.endpoint.accountName;
  }

  /** The share name. */
  get name(): string {
    return this.#name;
  }

  /** The snapshot this client addresses, if any. */
  get snapshot(): string | undefined {
    return this.#snapshot;
  }

  /** A client for a snapshot of this share (or the live share for `undefined`). */
  withSnapshot(snapshot: string | undefined): ShareClient {
    const url = buildUrl(this.#context.endpoint, [this.#name], { sharesnapshot: snapshot });
    return new ShareClient(url.toString(), undefined, childOptions(this.#context));
  }

  /** A client for a directory; `""` is the root directory, nested paths such as `"a/b"` are fine. */
  getDirectoryClient(directoryPath: string): ShareDirectoryClient {
    const url = buildUrl(this.#context.endpoint, [this.#name, ...splitPath(directoryPath)], {
      sharesnapshot: this.#snapshot,
    });
    return new ShareDirectoryClient(url.toString(), undefined, childOptions(this.#context));
  }

  /** The root directory's client. */
  getRootDirectoryClient(): ShareDirectoryClient {
    return this.getDirectoryClient("");
  }

  /** A client for a file, by its path within the share (e.g. `"dir/file.txt"`). */
  getFileClient(filePath: string): ShareFileClient {
    const segments = splitPath(filePath);
    if (segments.length === 0) throw new TypeError("getFileClient needs a file path.");
    const url = buildUrl(this.#context.endpoint, [this.#name, ...segments], {
      sharesnapshot: this.#snapshot,
    });
    return new ShareFileClient(url.toString(), undefined, childOptions(this.#context));
  }

  /** Creates the share (the seed's `create_share`); fails with `ShareAlreadyExists` if it exists. */
  async create(options: ShareCreateOptions = {}): Promise<ShareCreateResult> {
    const headers = new Headers();
    setMetadataHeaders(headers, options.metadata);
    if (options.quota !== undefined) headers.set("x-ms-share-quota", String(options.quota));
    if (options.accessTier !== undefined) headers.set("x-ms-access-tier", options.accessTier);
    if (options.protocols !== undefined) headers.set("x-ms-enabled-protocols", options.protocols);
    if (options.rootSquash !== undefined) headers.set("x-ms-root-squash", options.rootSquash);
    const response = await this.#send("PUT", {}, headers, options);
    return { ...writeResult(response.headers), quota: intHeader(response.headers, "x-ms-share-quota") };
  }

  /** Creates the share unless it exists. */
  async createIfNotExists(options: ShareCreateOptions = {}): Promise<CreateIfNotExistsResult> {
    try {
      return { succeeded: true, ...(await this.create(options)) };
    } catch (error) {
      if (error instanceof ShareError && error.errorCode === "ShareAlreadyExists") {
        return { succeeded: false, ...responseInfo(error.headers) };
      }
      throw error;
    }
  }

  /** Whether the share (or this snapshot of it) exists. */
  async exists(options: LeaseCallOptions = {}): Promise<boolean> {
    try {
      await this.getShareProperties(options);
      return true;
    } catch (error) {
      if (error instanceof ShareError && error.statusCode === 404) return false;
      throw error;
    }
  }

  /** Deletes the share (the seed's `delete_share`); a leased share needs its `leaseId`. */
  async delete(options: ShareDeleteOptions = {}): Promise<ResponseInfo> {
    const headers = new Headers();
    const snapshots = options.deleteSnapshots === true ? "include" : options.deleteSnapshots || undefined;
    if (snapshots) headers.set("x-ms-delete-snapshots", snapshots);
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send("DELETE", {}, headers, options);
    return responseInfo(response.headers);
  }

  /** Deletes the share if it exists; resolves to whether it did. */
  async deleteIfExists(options: ShareDeleteOptions = {}): Promise<boolean> {
    try {
      await this.delete(options);
      return true;
    } catch (error) {
      if (error instanceof ShareError && error.errorCode === "ShareNotFound") return false;
      throw error;
    }
  }

  /** Reads the share's properties, including `lease.status`, `lease.state` and `lease.duration`. */
  async getShareProperties(options: LeaseCallOptions = {}): Promise<ShareProperties & ResponseInfo> {
    const headers = new Headers();
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send("GET", {}, headers, options);
    const h = response.headers;
    return {
      ...responseInfo(h),
      name: this.#name,
      snapshot: this.#snapshot,
      etag: header(h, "etag"),
      lastModified: dateHeader(h, "last-modified"),
      quota: intHeader(h, "x-ms-share-quota"),
      metadata: metadataFromHeaders(h),
      lease: leaseFromHeaders(h),
      accessTier: header(h, "x-ms-access-tier"),
      accessTierChangeTime: dateHeader(h, "x-ms-access-tier-change-time"),
      accessTierTransitionState: header(h, "x-ms-access-tier-transition-state"),
      enabledProtocols: header(h, "x-ms-enabled-protocols"),
      rootSquash: header(h, "x-ms-root-squash"),
      provisionedIops: intHeader(h, "x-ms-share-provisioned-iops"),
      provisionedBandwidthMiBps: intHeader(h, "x-ms-share-provisioned-bandwidth-mibps"),
      nextAllowedQuotaDowngradeTime: dateHeader(h, "x-ms-share-next-allowed-quota-downgrade-time"),
    };
  }

  /** Sets the share's quota in GiB. */
  setShareQuota(quota: number, options: LeaseCallOptions = {}): Promise<WriteResult> {
    if (!(Number.isInteger(quota) && quota > 0))
      throw new RangeError("quota must be a positive integer (GiB).");
    return this.setShareProperties({ quota }, options);
  }

  /** Changes quota, access tier and/or root squash; properties left `undefined` are kept. */
  async setShareProperties(
    properties: SharePropertiesUpdate,
    options: LeaseCallOptions = {},
  ): Promise<WriteResult> {
    const headers = new Headers();
    if (properties.quota !== undefined) headers.set("x-ms-share-quota", String(properties.quota));
    if (properties.accessTier !== undefined) headers.set("x-ms-access-tier", properties.accessTier);
    if (properties.rootSquash !== undefined) headers.set("x-ms-root-squash", properties.rootSquash);
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send("PUT", { comp: "properties" }, headers, options);
    return writeResult(response.headers);
  }

  /** Replaces the share's metadata (an empty record removes it all). */
  async setShareMetadata(
    metadata: Record<string, string> = {},
    options: LeaseCallOptions = {},
  ): Promise<WriteResult> {
    const headers = new Headers();
    setMetadataHeaders(headers, metadata);
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send("PUT", { comp: "metadata" }, headers, options);
    return writeResult(response.headers);
  }

  /** Reads the share's approximate usage in bytes. */
  async getShareStats(options: LeaseCallOptions = {}): Promise<ShareStats> {
    const headers = new Headers();
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send("GET", { comp: "stats" }, headers, options);
    return { ...responseInfo(response.headers), shareUsageBytes: parseShareStats(response.bodyText ?? "") };
  }

  /** Creates a read-only snapshot of the share. */
  async createSnapshot(
    options: CallOptions & { metadata?: Record<string, string> | undefined } = {},
  ): Promise<ShareSnapshotResult> {
    const headers = new Headers();
    setMetadataHeaders(headers, options.metadata);
    const response = await this.#send("PUT", { comp: "snapshot" }, headers, options);
    return { ...writeResult(response.headers), snapshot: header(response.headers, "x-ms-snapshot") ?? "" };
  }

  /** Creates a directory (nested paths allowed; the parent must exist) and returns its client. */
  async createDirectory(
    directoryPath: string,
    options: DirectoryCreateOptions = {},
  ): Promise<ShareDirectoryClient> {
    const client = this.getDirectoryClient(directoryPath);
    await client.create(options);
    return client;
  }

  /** Deletes an empty directory. */
  deleteDirectory(directoryPath: string, options: CallOptions = {}): Promise<ResponseInfo> {
    return this.getDirectoryClient(directoryPath).delete(options);
  }

  /**
   * Lists the directories and files in a directory of the share (default: the root).
   * `for await (const item of share.listDirectoriesAndFiles())`, or `.byPage()` for pages.
   */
  listDirectoriesAndFiles(
    options: ListDirectoriesAndFilesOptions & { directoryName?: string | undefined } = {},
  ): PagedAsyncIterableIterator<DirectoryOrFileItem, DirectoryListPage> {
    const segments = [this.#name, ...splitPath(options.directoryName ?? "")];
    return listDirectory(this.#context, segments, this.#snapshot, options);
  }

  /**
   * Acquires a lease on the share and returns its lease client (default: infinite, random id).
   * @example
   * ```ts
   * await using lease = await share.acquireLease({ leaseDuration: 30, autoRenew: true });
   * ```
   */
  acquireLease(
    options: LeaseAcquireOptions & { leaseId?: string | undefined } = {},
  ): Promise<ShareLeaseClient> {
    return new ShareLeaseClient(this, options.leaseId).acquire(options);
  }

  /**
   * A URL for this share carrying a service SAS (`sr=s`) signed with the client's account key.
   * @throws TypeError when the client does not use a {@link SharedKeyCredential}.
   */
  generateSasUrl(options: Omit<ShareSasOptions, "shareName">): string {
    const token = generateShareSas(sharedKeyOf(this.#context), { ...options, shareName: this.#name });
    return sasUrl(this.#context, [this.#name], this.#snapshot, token);
  }

  #send(
    method: "GET" | "PUT" | "DELETE",
    query: Record<string, string | undefined>,
    headers: Headers,
    options: CallOptions,
  ) {
    return sendRequest(
      this.#context,
      {
        method,
        segments: [this.#name],
        query: { restype: "share", ...query, sharesnapshot: this.#snapshot },
        headers,
      },
      options,
    );
  }
}
