import { createHash } from "node:crypto";
import {
  type ClientContext,
  type ClientOptions,
  childOptions,
  displayUrl,
  openRequest,
  resolveClient,
  sasUrl,
  sendRequest,
  sharedKeyOf,
} from "./client-context.js";
import { connectionTarget } from "./connection-target.js";
import { MAX_RANGE_SIZE } from "./constants.js";
import type { Credential } from "./credentials/credential.js";
import {
  type DownloadFileOptions,
  type FileDownload,
  type RangeResponse,
  startDownload,
} from "./download.js";
import { type LeaseAcquireOptions, ShareLeaseClient } from "./lease-client.js";
import { registerLeaseTarget } from "./lease-target.js";
import { parseRangeList } from "./listing-xml.js";
import type {
  ContentSettings,
  FileProperties,
  RangeList,
  ResponseInfo,
  SmbWriteResult,
  WriteResult,
} from "./models.js";
import type {
  FileCreateOptions,
  LeaseCallOptions,
  ListRangesOptions,
  SetHttpHeadersOptions,
  UploadRangeOptions,
} from "./options.js";
import { ShareError } from "./pipeline/errors.js";
import type { CallOptions } from "./pipeline/pipeline.js";
import type { OpenedRange } from "./range-reader.js";
import {
  formatRange,
  setContentSettingsHeaders,
  setLeaseHeader,
  setMetadataHeaders,
  setSmbHeaders,
} from "./request-headers.js";
import {
  boolHeader,
  bytesHeader,
  contentSettingsFromHeaders,
  copyFromHeaders,
  dateHeader,
  header,
  intHeader,
  leaseFromHeaders,
  metadataFromHeaders,
  responseInfo,
  smbInfo,
  smbWriteResult,
  writeResult,
} from "./response-headers.js";
import { type FileSasOptions, generateFileSas } from "./sas/file-sas.js";
import { type UploadFileOptions, type UploadFileResult, uploadData } from "./upload.js";
import type { UploadData } from "./upload-source.js";
import { buildUrl } from "./urls.js";

/** The result of writing a range. */
export interface RangeWriteResult extends WriteResult {
  /** The MD5 the service computed for the range. */
  contentMd5?: Uint8Array | undefined;
  /** True when the data is encrypted at rest. */
  serverEncrypted?: boolean | undefined;
}

/**
 * A file in a share: create, upload, download, ranges, properties, metadata, delete, leases.
 *
 * @example
 * ```ts
 * const file = new ShareFileClient("http://127.0.0.1:10004/devstoreaccount1/documents/important_file.txt", credential);
 * await file.uploadFile("hello");
 * const text = (await (await file.downloadFile()).readAll()).toString();
 * ```
 */
export class ShareFileClient {
  readonly #context: ClientContext;
  readonly #segments: readonly string[];
  readonly #snapshot: string | undefined;

  /**
   * @param url - The file URL, host-style (`https://<account>.file.core.windows.net/<share>/<path>`)
   *   or path-style (`http://127.0.0.1:10004/<account>/<share>/<path>`), optionally with a SAS token
   *   and `sharesnapshot`.
   * @param credential - How to authorize; default anonymous (or the URL's SAS token).
   * @param options - Retry, fetch and addressing options.
   * @throws TypeError for a URL without a share and a file name.
   */
  constructor(url: string, credential?: Credential, options?: ClientOptions) {
    const resolved = resolveClient(url, credential, options, "resource");
    if (resolved.segments.length < 2) throw new TypeError(`A file URL needs a share and a file path: ${url}`);
    this.#context = resolved.context;
    this.#segments = resolved.segments;
    this.#snapshot = resolved.snapshot;
    registerLeaseTarget(this, {
      kind: "file",
      context: this.#context,
      segments: this.#segments,
      snapshot: this.#snapshot,
    });
  }

  /**
   * Creates a client for a file from a connection string.
   * @param filePath - The path within the share, e.g. `"dir/sub/file.txt"`.
   */
  static fromConnectionString(
    connectionString: string,
    shareName: string,
    filePath: string,
    options?: ClientOptions,
  ): ShareFileClient {
    const target = connectionTarget(connectionString, shareName, filePath, options);
    return new ShareFileClient(target.url, target.credential, target.options);
  }

  /** The file URL (with `sharesnapshot` and any SAS token). */
  get url(): string {
    return displayUrl(this.#context, this.#segments, this.#snapshot);
  }

  /** The storage account name. */
  get accountName(): string {
    return this.#context.endpoint.accountName;
  }

  /** The share name. */
  get shareName(): string {
    return this.#segments[0] ?? "";
  }

  /** The path within the share, segments joined by `/`. */
  get path(): string {
    return this.#segments.slice(1).join("/");
  }

  /** The file name (last path segment). */
  get name(): string {
    return this.#segments[this.#segments.length - 1] ?? "";
  }

  /** The share snapshot this client reads from, if any. */
  get snapshot(): string | undefined {
    return this.#snapshot;
  }

  /** A client for the same file in a share snapshot (or the live share for `undefined`). */
  withSnapshot(snapshot: string | undefined): ShareFileClient {
    const url = buildUrl(this.#context.endpoint, this.#segments, { sharesnapshot: snapshot });
    return new ShareFileClient(url.toString(), undefined, childOptions(this.#context));
  }

  /**
   * Creates the file with the given size (unwritten bytes read as zeros), replacing any existing
   * file (Azure's Create File always replaces).
   */
  async createFile(size: number, options: FileCreateOptions = {}): Promise<SmbWriteResult> {
    if (!(Number.isInteger(size) && size >= 0)) throw new RangeError("size must be a non-negative integer.");
    const headers = new Headers({ "x-ms-type": "file", "x-ms-content-length": String(size) });
    setContentSettingsHeaders(headers, options.contentSettings);
    setMetadataHeaders(headers, options.metadata);
    setSmbHeaders(headers, options.smbProperties);
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send("PUT", {}, headers, options);
    return smbWriteResult(response.headers);
  }

  /**
   * Uploads data as the file's new content: creates the file with the data's size, then writes
   * 4 MiB ranges in parallel. See {@link UploadFileOptions} for streams, progress and leases.
   */
  uploadFile(data: UploadData, options: UploadFileOptions = {}): Promise<UploadFileResult> {
    const lease = { leaseId: options.leaseId };
    return uploadData(
      {
        create: (size, call) =>
          this.createFile(size, {
            ...call,
            ...lease,
            metadata: options.metadata,
            contentSettings: options.contentSettings,
            smbProperties: options.smbProperties,
          }),
        uploadRange: (bytes, offset, call) =>
          this.uploadRange(bytes, offset, { ...call, ...lease, validateContent: options.validateContent }),
        resize: (size, call) => this.#setProperties(size, options.contentSettings, { ...call, ...lease }),
        exists: (call) => this.exists({ ...call, ...lease }),
      },
      data,
      options,
    );
  }

  /**
   * Writes `data` (1 byte to 4 MiB) at `offset`. The range must lie within the file's size.
   */
  async uploadRange(
    data: Uint8Array | ArrayBuffer | string,
    offset: number,
    options: UploadRangeOptions = {},
  ): Promise<RangeWriteResult> {
    const body =
      typeof data === "string"
        ? new Uint8Array(Buffer.from(data, "utf8"))
        : data instanceof Uint8Array
          ? data
          : new Uint8Array(data);
    if (!(Number.isInteger(offset) && offset >= 0))
      throw new RangeError("offset must be a non-negative integer.");
    if (body.byteLength === 0 || body.byteLength > MAX_RANGE_SIZE) {
      throw new RangeError(`A range holds 1 to ${MAX_RANGE_SIZE} bytes; got ${body.byteLength}.`);
    }
    const headers = new Headers({
      "x-ms-write": "update",
      "x-ms-range": formatRange(offset, offset + body.byteLength - 1),
    });
    const md5 =
      options.contentMd5 ?? (options.validateContent ? createHash("md5").update(body).digest() : undefined);
    if (md5) headers.set("content-md5", Buffer.from(md5).toString("base64"));
    if (options.fileLastWrittenMode) headers.set("x-ms-file-last-write-time", options.fileLastWrittenMode);
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send("PUT", { comp: "range" }, headers, options, body);
    return {
      ...writeResult(response.headers),
      contentMd5: bytesHeader(response.headers, "content-md5"),
      serverEncrypted: boolHeader(response.headers, "x-ms-request-server-encrypted"),
    };
  }

  /** Clears `length` bytes at `offset`: they read as zeros and no longer count as stored ranges. */
  async clearRange(offset: number, length: number, options: LeaseCallOptions = {}): Promise<WriteResult> {
    if (!(Number.isInteger(offset) && offset >= 0))
      throw new RangeError("offset must be a non-negative integer.");
    if (!(Number.isInteger(length) && length > 0)) throw new RangeError("length must be a positive integer.");
    const headers = new Headers({
      "x-ms-write": "clear",
      "x-ms-range": formatRange(offset, offset + length - 1),
    });
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send("PUT", { comp: "range" }, headers, options);
    return writeResult(response.headers);
  }

  /** Lists the ranges that hold data (the seed's `get_ranges`), optionally within a byte range. */
  async listRanges(options: ListRangesOptions = {}): Promise<RangeList> {
    const headers = new Headers();
    if (options.offset !== undefined || options.length !== undefined) {
      const offset = options.offset ?? 0;
      if (options.length === undefined) headers.set("x-ms-range", `bytes=${offset}-`);
      else headers.set("x-ms-range", formatRange(offset, offset + options.length - 1));
    }
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send(
      "GET",
      { comp: "rangelist", prevsharesnapshot: options.previousShareSnapshot },
      headers,
      options,
    );
    return {
      ...responseInfo(response.headers),
      ...parseRangeList(response.bodyText ?? ""),
      fileContentLength: intHeader(response.headers, "x-ms-content-length"),
      etag: header(response.headers, "etag"),
      lastModified: dateHeader(response.headers, "last-modified"),
    };
  }

  /**
   * Starts downloading the file (or `offset`/`length` of it). The first range arrives before this
   * resolves; read the rest with `readAll()`, `toFile(path)`, `stream()` or `for await`.
   */
  downloadFile(options: DownloadFileOptions = {}): Promise<FileDownload> {
    const fetchRange = async (
      start: number,
      end: number | undefined,
      call: CallOptions,
    ): Promise<RangeResponse> => {
      const headers = new Headers();
      if (end !== undefined) headers.set("x-ms-range", formatRange(start, end));
      else if (start > 0) headers.set("x-ms-range", `bytes=${start}-`);
      setLeaseHeader(headers, options.leaseId);
      const response = await sendRequest(
        this.#context,
        { method: "GET", segments: this.#segments, query: { sharesnapshot: this.#snapshot }, headers },
        call,
        "bytes",
      );
      return {
        status: response.status,
        headers: response.headers,
        bytes: response.bodyBytes ?? new Uint8Array(),
      };
    };
    const openRange = async (start: number, end: number, call: CallOptions): Promise<OpenedRange> => {
      const headers = new Headers({ "x-ms-range": formatRange(start, end) });
      setLeaseHeader(headers, options.leaseId);
      const response = await openRequest(
        this.#context,
        { method: "GET", segments: this.#segments, query: { sharesnapshot: this.#snapshot }, headers },
        call,
      );
      return { status: response.status, headers: response.headers, body: response.streamedBody };
    };
    return startDownload(
      fetchRange,
      openRange,
      (headers, size, ranged) => this.#describe(headers, size, ranged),
      options,
    );
  }

  /** Reads the file's properties, including `lease.status`, `lease.state` and `lease.duration`. */
  async getFileProperties(options: LeaseCallOptions = {}): Promise<FileProperties & ResponseInfo> {
    const headers = new Headers();
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send("HEAD", {}, headers, options);
    return this.#describe(response.headers, intHeader(response.headers, "content-length") ?? 0, false);
  }

  /**
   * Sets the file's content headers. As in Azure's Set File Properties, content headers left out
   * are cleared; SMB properties left out are kept.
   */
  async setHttpHeaders(
    contentSettings: ContentSettings = {},
    options: SetHttpHeadersOptions = {},
  ): Promise<SmbWriteResult> {
    const headers = new Headers();
    setContentSettingsHeaders(headers, contentSettings);
    setSmbHeaders(headers, options.smbProperties);
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send("PUT", { comp: "properties" }, headers, options);
    return smbWriteResult(response.headers);
  }

  /** Replaces the file's metadata (an empty record removes it all). */
  async setFileMetadata(
    metadata: Record<string, string> = {},
    options: LeaseCallOptions = {},
  ): Promise<WriteResult> {
    const headers = new Headers();
    setMetadataHeaders(headers, metadata);
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send("PUT", { comp: "metadata" }, headers, options);
    return writeResult(response.headers);
  }

  /**
   * Changes the file's size: growing adds zeros, shrinking drops the tail. Sent as Set File
   * Properties with only `x-ms-content-length`, as the official SDKs do.
   */
  resizeFile(size: number, options: LeaseCallOptions = {}): Promise<SmbWriteResult> {
    return this.#setProperties(size, undefined, options);
  }

  /** Deletes the file. */
  async deleteFile(options: LeaseCallOptions = {}): Promise<ResponseInfo> {
    const headers = new Headers();
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send("DELETE", {}, headers, options);
    return responseInfo(response.headers);
  }

  /** Whether the file exists (false on any 404: no share, no parent directory, or no file). */
  async exists(options: LeaseCallOptions = {}): Promise<boolean> {
    try {
      await this.getFileProperties(options);
      return true;
    } catch (error) {
      if (error instanceof ShareError && error.statusCode === 404) return false;
      throw error;
    }
  }

  /**
   * Acquires a lease on the file and returns its lease client (default: infinite, random id).
   * @example
   * ```ts
   * await using lease = await file.acquireLease();
   * await file.setFileMetadata({ locked: "true" }, { leaseId: lease.id });
   * ```
   */
  acquireLease(
    options: LeaseAcquireOptions & { leaseId?: string | undefined } = {},
  ): Promise<ShareLeaseClient> {
    return new ShareLeaseClient(this, options.leaseId).acquire(options);
  }

  /**
   * A URL for this file carrying a service SAS (`sr=f`) signed with the client's account key.
   * @throws TypeError when the client does not use a {@link SharedKeyCredential}.
   */
  generateSasUrl(options: Omit<FileSasOptions, "shareName" | "filePath">): string {
    const token = generateFileSas(sharedKeyOf(this.#context), {
      ...options,
      shareName: this.shareName,
      filePath: this.path,
    });
    return sasUrl(this.#context, this.#segments, this.#snapshot, token);
  }

  async #setProperties(
    size: number,
    contentSettings: ContentSettings | undefined,
    options: LeaseCallOptions,
  ): Promise<SmbWriteResult> {
    if (!(Number.isInteger(size) && size >= 0)) throw new RangeError("size must be a non-negative integer.");
    const headers = new Headers({ "x-ms-content-length": String(size) });
    setContentSettingsHeaders(headers, contentSettings);
    setLeaseHeader(headers, options.leaseId);
    const response = await this.#send("PUT", { comp: "properties" }, headers, options);
    return smbWriteResult(response.headers);
  }

  #describe(headers: Headers, size: number, ranged: boolean): FileProperties & ResponseInfo {
    return {
      ...responseInfo(headers),
      ...smbInfo(headers),
      name: this.name,
      path: this.path,
      shareName: this.shareName,
      snapshot: this.#snapshot,
      size,
      etag: header(headers, "etag"),
      lastModified: dateHeader(headers, "last-modified"),
      metadata: metadataFromHeaders(headers),
      contentSettings: contentSettingsFromHeaders(headers, ranged),
      lease: leaseFromHeaders(headers),
      copy: copyFromHeaders(headers),
      serverEncrypted: boolHeader(headers, "x-ms-server-encrypted"),
    };
  }

  #send(
    method: "GET" | "HEAD" | "PUT" | "DELETE",
    query: Record<string, string | undefined>,
    headers: Headers,
    options: CallOptions,
    body?: Uint8Array,
  ) {
    // A snapshot client sends `sharesnapshot` on writes too, so the service refuses them rather than
    // changing the live file.
    return sendRequest(
      this.#context,
      {
        method,
        segments: this.#segments,
        query: { ...query, sharesnapshot: this.#snapshot },
        headers,
        body,
      },
      options,
      method === "HEAD" ? "none" : "text",
    );
  }
}
