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
import { parseShareListing } from "./listing-xml.js";
import type { ResponseInfo, ServiceProperties, ShareListPage, ShareProperties } from "./models.js";
import type { ListSharesOptions, ShareCreateOptions, ShareDeleteOptions } from "./options.js";
import { type PagedAsyncIterableIterator, pagedIterator } from "./paging.js";
import type { CallOptions } from "./pipeline/pipeline.js";
import { responseInfo } from "./response-headers.js";
import { type AccountSasOptions, generateAccountSas } from "./sas/account-sas.js";
import { parseServiceProperties, serializeServiceProperties } from "./service-properties-xml.js";
import { ShareClient } from "./share-client.js";
import { buildUrl } from "./urls.js";

/**
 * The File service of one storage account: list, create and delete shares, and read or change the
 * service properties.
 *
 * @example
 * ```ts
 * const service = ShareServiceClient.fromConnectionString(
 *   "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=...;" +
 *     "FileEndpoint=http://127.0.0.1:10004/devstoreaccount1;",
 * );
 * for await (const share of service.listShares({ includeMetadata: true })) console.log(share.name);
 * ```
 */
export class ShareServiceClient {
  readonly #context: ClientContext;

  /**
   * @param url - The account URL: `https://<account>.file.core.windows.net` (host-style) or
   *   `http://127.0.0.1:10004/<account>` (path-style), optionally with a SAS token.
   * @param credential - How to authorize; default anonymous (or the URL's SAS token).
   * @param options - Retry, fetch and addressing options.
   * @throws TypeError for a URL whose account cannot be determined.
   */
  constructor(url: string, credential?: Credential, options?: ClientOptions) {
    const resolved = resolveClient(url, credential, options, "service");
    if (resolved.segments.length > 0) {
      throw new TypeError(`A service URL has no path after the account: ${url}`);
    }
    this.#context = resolved.context;
  }

  /**
   * Creates a client from a connection string: `AccountName` + `AccountKey` (or
   * `SharedAccessSignature`), with `FileEndpoint` for Sharelock or emulators (path-style, e.g.
   * `FileEndpoint=http://127.0.0.1:10004/devstoreaccount1`), or `EndpointSuffix` for Azure clouds.
   * `UseDevelopmentStorage=true` targets the local Sharelock development account.
   */
  static fromConnectionString(connectionString: string, options?: ClientOptions): ShareServiceClient {
    const target = connectionTarget(connectionString, undefined, undefined, options);
    return new ShareServiceClient(target.url, target.credential, target.options);
  }

  /** The account URL (with any SAS token). */
  get url(): string {
    return displayUrl(this.#context, []);
  }

  /** The storage account name. */
  get accountName(): string {
    return this.#context.endpoint.accountName;
  }

  /** A client for a share (or one of its snapshots). */
  getShareClient(shareName: string, snapshot?: string): ShareClient {
    if (!shareName) throw new TypeError("getShareClient needs a share name.");
    const url = buildUrl(this.#context.endpoint, [shareName], { sharesnapshot: snapshot });
    return new ShareClient(url.toString(), undefined, childOptions(this.#context));
  }

  /** Creates a share and returns its client. */
  async createShare(shareName: string, options: ShareCreateOptions = {}): Promise<ShareClient> {
    const share = this.getShareClient(shareName);
    await share.create(options);
    return share;
  }

  /** Deletes a share (with `deleteSnapshots` to delete its snapshots too). */
  deleteShare(shareName: string, options: ShareDeleteOptions = {}): Promise<ResponseInfo> {
    return this.getShareClient(shareName).delete(options);
  }

  /**
   * Lists the account's shares: `for await (const share of service.listShares())`, or `.byPage()`
   * for pages with continuation tokens.
   */
  listShares(options: ListSharesOptions = {}): PagedAsyncIterableIterator<ShareProperties, ShareListPage> {
    const include = [
      options.includeMetadata ? "metadata" : undefined,
      options.includeSnapshots ? "snapshots" : undefined,
      options.includeDeleted ? "deleted" : undefined,
    ]
      .filter((item) => item !== undefined)
      .join(",");
    return pagedIterator<ShareProperties, ShareListPage>(async (marker, maxPageSize) => {
      const response = await sendRequest(
        this.#context,
        {
          method: "GET",
          segments: [],
          query: {
            comp: "list",
            prefix: options.nameStartsWith || undefined,
            marker,
            maxresults: maxPageSize,
            include: include || undefined,
          },
        },
        options,
      );
      return { ...responseInfo(response.headers), ...parseShareListing(response.bodyText ?? "") };
    }, options.maxPageSize);
  }

  /** Reads the File service properties: metrics, CORS rules and protocol settings. */
  async getServiceProperties(options: CallOptions = {}): Promise<ServiceProperties & ResponseInfo> {
    const response = await sendRequest(
      this.#context,
      { method: "GET", segments: [], query: { restype: "service", comp: "properties" } },
      options,
    );
    return { ...responseInfo(response.headers), ...parseServiceProperties(response.bodyText ?? "") };
  }

  /** Changes the File service properties; parts left `undefined` keep their current values. */
  async setServiceProperties(
    properties: ServiceProperties,
    options: CallOptions = {},
  ): Promise<ResponseInfo> {
    const body = new Uint8Array(Buffer.from(serializeServiceProperties(properties), "utf8"));
    const response = await sendRequest(
      this.#context,
      {
        method: "PUT",
        segments: [],
        query: { restype: "service", comp: "properties" },
        headers: new Headers({ "content-type": "application/xml" }),
        body,
      },
      options,
    );
    return responseInfo(response.headers);
  }

  /**
   * The account URL carrying an account SAS signed with the client's account key.
   * @throws TypeError when the client does not use a {@link SharedKeyCredential}.
   */
  generateAccountSasUrl(options: AccountSasOptions): string {
    return sasUrl(this.#context, [], undefined, generateAccountSas(sharedKeyOf(this.#context), options));
  }
}
