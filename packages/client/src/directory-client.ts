import {
  type ClientContext,
  type ClientOptions,
  childOptions,
  displayUrl,
  resolveClient,
  sendRequest,
} from "./client-context.js";
import { connectionTarget } from "./connection-target.js";
import type { Credential } from "./credentials/credential.js";
import { ShareFileClient } from "./file-client.js";
import { parseDirectoryListing } from "./listing-xml.js";
import type {
  DirectoryListPage,
  DirectoryOrFileItem,
  DirectoryProperties,
  ListFilesInclude,
  ResponseInfo,
  SmbWriteResult,
  WriteResult,
} from "./models.js";
import type {
  DirectoryCreateOptions,
  FileCreateOptions,
  LeaseCallOptions,
  ListDirectoriesAndFilesOptions,
} from "./options.js";
import { type PagedAsyncIterableIterator, pagedIterator } from "./paging.js";
import { ShareError } from "./pipeline/errors.js";
import type { CallOptions } from "./pipeline/pipeline.js";
import { setMetadataHeaders, setSmbHeaders } from "./request-headers.js";
import {
  boolHeader,
  dateHeader,
  header,
  metadataFromHeaders,
  responseInfo,
  smbInfo,
  smbWriteResult,
  writeResult,
} from "./response-headers.js";
import type { UploadFileOptions } from "./upload.js";
import type { UploadData } from "./upload-source.js";
import { buildUrl, splitPath } from "./urls.js";

/** The result of `createIfNotExists`. */
export interface CreateIfNotExistsResult extends Partial<SmbWriteResult> {
  /** True when this call created the resource; false when it already existed. */
  succeeded: boolean;
}

const INCLUDE_WIRE_NAMES: Record<ListFilesInclude, string> = {
  timestamps: "Timestamps",
  etag: "Etag",
  attributes: "Attributes",
  permissionKey: "PermissionKey",
};

/**
 * Lists one directory page by page (shared by share and directory clients).
 * @param segments - `[share]` for the root directory, or `[share, ...path]`.
 */
export function listDirectory(
  context: ClientContext,
  segments: readonly string[],
  snapshot: string | undefined,
  options: ListDirectoriesAndFilesOptions,
): PagedAsyncIterableIterator<DirectoryOrFileItem, DirectoryListPage> {
  const include = options.include?.map((name) => INCLUDE_WIRE_NAMES[name]).join(",");
  return pagedIterator<DirectoryOrFileItem, DirectoryListPage>(async (marker, maxPageSize) => {
    const headers = new Headers();
    if (options.includeExtendedInfo) headers.set("x-ms-file-extended-info", "true");
    const response = await sendRequest(
      context,
      {
        method: "GET",
        segments,
        query: {
          restype: "directory",
          comp: "list",
          prefix: options.nameStartsWith || undefined,
          sharesnapshot: snapshot,
          marker,
          maxresults: maxPageSize,
          include: include || undefined,
        },
        headers,
      },
      options,
    );
    return { ...responseInfo(response.headers), ...parseDirectoryListing(response.bodyText ?? "") };
  }, options.maxPageSize);
}

/**
 * A directory in a share (or the share's root directory, whose path is empty): create, delete,
 * properties, metadata, listing, and the files and subdirectories in it. Directories cannot be leased.
 */
export class ShareDirectoryClient {
  readonly #context: ClientContext;
  readonly #segments: readonly string[];
  readonly #snapshot: string | undefined;

  /**
   * @param url - The directory URL, host-style or path-style (see {@link ShareFileClient}); a share
   *   URL means the root directory.
   * @param credential - How to authorize; default anonymous (or the URL's SAS token).
   * @param options - Retry, fetch and addressing options.
   * @throws TypeError for a URL without a share.
   */
  constructor(url: string, credential?: Credential, options?: ClientOptions) {
    const resolved = resolveClient(url, credential, options, "resource");
    if (resolved.segments.length < 1) throw new TypeError(`A directory URL needs at least a share: ${url}`);
    this.#context = resolved.context;
    this.#segments = resolved.segments;
    this.#snapshot = resolved.snapshot;
  }

  /**
   * Creates a client for a directory from a connection string.
   * @param directoryPath - The path within the share; `""` for the root directory.
   */
  static fromConnectionString(
    connectionString: string,
    shareName: string,
    directoryPath: string,
    options?: ClientOptions,
  ): ShareDirectoryClient {
    const target = connectionTarget(connectionString, shareName, directoryPath, options);
    return new ShareDirectoryClient(target.url, target.credential, target.options);
  }

  /** The directory URL (with `sharesnapshot` and any SAS token). */
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

  /** The path within the share (`""` for the root directory). */
  get path(): string {
    return this.#segments.slice(1).join("/");
  }

  /** The directory name (last path segment; `""` for the root directory). */
  get name(): string {
    return this.#segments.length > 1 ? (this.#segments[this.#segments.length - 1] ?? "") : "";
  }

  /** The share snapshot this client reads from, if any. */
  get snapshot(): string | undefined {
    return this.#snapshot;
  }

  /** A client for a directory below this one; `name` may be a nested path such as `"a/b"`. */
  getSubdirectoryClient(name: string): ShareDirectoryClient {
    return new ShareDirectoryClient(this.#childUrl(name), undefined, childOptions(this.#context));
  }

  /** A client for a file in this directory; `name` may be a nested path such as `"a/b.txt"`. */
  getFileClient(name: string): ShareFileClient {
    const url = this.#childUrl(name);
    if (splitPath(name).length === 0) throw new TypeError("getFileClient needs a file name.");
    return new ShareFileClient(url, undefined, childOptions(this.#context));
  }

  /** Creates the directory; fails with `ResourceAlreadyExists` if it exists. */
  async create(options: DirectoryCreateOptions = {}): Promise<SmbWriteResult> {
    const headers = new Headers();
    setMetadataHeaders(headers, options.metadata);
    setSmbHeaders(headers, options.smbProperties);
    const response = await this.#send("PUT", { restype: "directory" }, headers, options);
    return smbWriteResult(response.headers);
  }

  /** Creates the directory unless it exists. */
  async createIfNotExists(options: DirectoryCreateOptions = {}): Promise<CreateIfNotExistsResult> {
    try {
      return { succeeded: true, ...(await this.create(options)) };
    } catch (error) {
      if (error instanceof ShareError && error.errorCode === "ResourceAlreadyExists") {
        return { succeeded: false, ...responseInfo(error.headers) };
      }
      throw error;
    }
  }

  /** Deletes the directory, which must be empty. */
  async delete(options: CallOptions = {}): Promise<ResponseInfo> {
    const response = await this.#send("DELETE", { restype: "directory" }, new Headers(), options);
    return responseInfo(response.headers);
  }

  /** Whether the directory exists (false on any 404). */
  async exists(options: CallOptions = {}): Promise<boolean> {
    try {
      await this.getDirectoryProperties(options);
      return true;
    } catch (error) {
      if (error instanceof ShareError && error.statusCode === 404) return false;
      throw error;
    }
  }

  /** Reads the directory's properties and metadata. */
  async getDirectoryProperties(options: CallOptions = {}): Promise<DirectoryProperties & ResponseInfo> {
    const response = await this.#send("GET", { restype: "directory" }, new Headers(), options);
    const headers = response.headers;
    return {
      ...responseInfo(headers),
      ...smbInfo(headers),
      name: this.name,
      path: this.path,
      shareName: this.shareName,
      etag: header(headers, "etag"),
      lastModified: dateHeader(headers, "last-modified"),
      metadata: metadataFromHeaders(headers),
      serverEncrypted: boolHeader(headers, "x-ms-server-encrypted"),
    };
  }

  /** Replaces the directory's metadata (an empty record removes it all). */
  async setDirectoryMetadata(
    metadata: Record<string, string> = {},
    options: CallOptions = {},
  ): Promise<WriteResult> {
    const headers = new Headers();
    setMetadataHeaders(headers, metadata);
    const response = await this.#send("PUT", { restype: "directory", comp: "metadata" }, headers, options);
    return writeResult(response.headers);
  }

  /**
   * Lists the directories and files directly in this directory, in the service's order.
   * `for await (const item of dir.listDirectoriesAndFiles())`, or `.byPage()` for pages.
   */
  listDirectoriesAndFiles(
    options: ListDirectoriesAndFilesOptions = {},
  ): PagedAsyncIterableIterator<DirectoryOrFileItem, DirectoryListPage> {
    return listDirectory(this.#context, this.#segments, this.#snapshot, options);
  }

  /** Creates a subdirectory and returns its client. */
  async createSubdirectory(
    name: string,
    options: DirectoryCreateOptions = {},
  ): Promise<ShareDirectoryClient> {
    const client = this.getSubdirectoryClient(name);
    await client.create(options);
    return client;
  }

  /** Deletes an (empty) subdirectory. */
  deleteSubdirectory(name: string, options: CallOptions = {}): Promise<ResponseInfo> {
    return this.getSubdirectoryClient(name).delete(options);
  }

  /** Creates a file of `size` bytes in this directory and returns its client. */
  async createFile(name: string, size: number, options: FileCreateOptions = {}): Promise<ShareFileClient> {
    const client = this.getFileClient(name);
    await client.createFile(size, options);
    return client;
  }

  /** Uploads data as a file in this directory and returns its client. */
  async uploadFile(
    name: string,
    data: UploadData,
    options: UploadFileOptions = {},
  ): Promise<ShareFileClient> {
    const client = this.getFileClient(name);
    await client.uploadFile(data, options);
    return client;
  }

  /** Deletes a file in this directory. */
  deleteFile(name: string, options: LeaseCallOptions = {}): Promise<ResponseInfo> {
    return this.getFileClient(name).deleteFile(options);
  }

  #childUrl(name: string): string {
    const segments = [...this.#segments, ...splitPath(name)];
    return buildUrl(this.#context.endpoint, segments, { sharesnapshot: this.#snapshot }).toString();
  }

  #send(
    method: "GET" | "PUT" | "DELETE",
    query: Record<string, string | undefined>,
    headers: Headers,
    options: CallOptions,
  ) {
    return sendRequest(
      this.#context,
      { method, segments: this.#segments, query: { ...query, sharesnapshot: this.#snapshot }, headers },
      options,
    );
  }
}
