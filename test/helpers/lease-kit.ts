import type { ShareClient, ShareFileClient, ShareServiceClient } from "@azure/storage-file-share";
import { uniqueShareName } from "./names.js";
import { signedRequest } from "./raw-request.js";
import type { TestServer } from "./server.js";

/** Fixed lease ids the tests propose (GUIDs, distinct in every position). */
export const A = "aaaaaaaa-1111-4111-8111-00000000000a";
export const B = "bbbbbbbb-2222-4222-8222-00000000000b";
export const C = "cccccccc-3333-4333-8333-00000000000c";

/** A GUID in 8-4-4-4-12 form. */
export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What one request answered, whether sent by the official SDK or signed by hand. */
export interface Outcome {
  status: number;
  /** `x-ms-error-code` of a failure. */
  code?: string;
  /** A response header, undefined when absent. */
  header(name: string): string | undefined;
  /** The response body, when it was read (raw requests and SDK failures). */
  body?: string;
}

interface HeaderBag {
  get(name: string): string | undefined | null;
}

interface SdkResponse {
  _response: { status: number; headers: HeaderBag };
}

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  response?: { headers: HeaderBag; bodyAsText?: string | null };
}

function isRestErrorLike(err: unknown): err is RestErrorLike {
  return err instanceof Error && "statusCode" in err;
}

/** Awaits an SDK call and turns its response or its RestError into an `Outcome`. */
export async function outcomeOf(call: Promise<SdkResponse>): Promise<Outcome> {
  try {
    const res = await call;
    return { status: res._response.status, header: (n) => res._response.headers.get(n) ?? undefined };
  } catch (err) {
    if (!isRestErrorLike(err)) throw err;
    const headers = err.response?.headers;
    const code = headers?.get("x-ms-error-code") ?? err.code;
    return {
      status: err.statusCode ?? 0,
      ...(code ? { code } : {}),
      header: (n) => headers?.get(n) ?? undefined,
      ...(err.response?.bodyAsText ? { body: err.response.bodyAsText } : {}),
    };
  }
}

/** Sends a hand-signed SharedKey request and returns it as an `Outcome`. */
export async function rawOutcome(
  ts: TestServer,
  method: string,
  url: string,
  headers: Record<string, string>,
): Promise<Outcome> {
  const res = await signedRequest({
    method,
    url,
    accountName: ts.accountName,
    accountKey: ts.accountKey,
    headers,
  });
  const code = res.headers.get("x-ms-error-code");
  return {
    status: res.status,
    ...(code ? { code } : {}),
    header: (n) => res.headers.get(n) ?? undefined,
    body: res.body,
  };
}

/** The three lease facts Get Properties reports. */
export interface LeaseFacts {
  state: string | undefined;
  status: string | undefined;
  duration: string | undefined;
}

/** A file or a share, with every lease action and one representative write and read. */
export interface Leasable {
  target: "file" | "share";
  /** The resource URL (no query). */
  url: string;
  /** Acquire; `proposedId` null sends no `x-ms-proposed-lease-id` (raw: the SDK always proposes one). */
  acquire(proposedId: string | null, durationSeconds: number): Promise<Outcome>;
  /** Renew (raw: the SDK's renewLease is broken client-side). */
  renew(id: string): Promise<Outcome>;
  change(from: string, to: string): Promise<Outcome>;
  release(id: string): Promise<Outcome>;
  /** Break; a period on a file is sent raw (the SDK's file break has no period parameter). */
  breakLease(periodSeconds?: number): Promise<Outcome>;
  /** Set Metadata, with `x-ms-lease-id` when `leaseId` is given. */
  write(leaseId?: string): Promise<Outcome>;
  /** Get Properties, with `x-ms-lease-id` when `leaseId` is given. */
  read(leaseId?: string): Promise<Outcome>;
  /** Lease facts, ETag and Last-Modified from one Get Properties (no lease id sent). */
  props(): Promise<{ facts: LeaseFacts; stamp: Stamp }>;
  /** ETag and Last-Modified as the create response reported them. */
  created: Stamp;
}

/** A resource's ETag and Last-Modified, as sent. */
export interface Stamp {
  etag: string;
  lastModified: string;
}

/** Makes fresh leasable resources of one kind. */
export interface LeasableKit {
  target: "file" | "share";
  fresh(): Promise<Leasable>;
}

function leaseConditions(leaseId: string | undefined) {
  return leaseId === undefined ? {} : { leaseAccessConditions: { leaseId } };
}

function rawLease(ts: TestServer, url: string, headers: Record<string, string>): Promise<Outcome> {
  return rawOutcome(ts, "PUT", url, headers);
}

/** The ETag and Last-Modified headers of an SDK response. */
export function stampOf(res: SdkResponse): Stamp {
  const h = res._response.headers;
  return { etag: h.get("etag") ?? "", lastModified: h.get("last-modified") ?? "" };
}

/** A `Leasable` over an existing file. */
export function leasableFile(ts: TestServer, file: ShareFileClient, created: Stamp): Leasable {
  const leaseUrl = `${file.url}?comp=lease`;
  return {
    target: "file",
    url: file.url,
    acquire: (proposedId, duration) =>
      proposedId === null
        ? rawLease(ts, leaseUrl, { "x-ms-lease-action": "acquire", "x-ms-lease-duration": String(duration) })
        : outcomeOf(file.getShareLeaseClient(proposedId).acquireLease(duration)),
    renew: (id) => rawLease(ts, leaseUrl, { "x-ms-lease-action": "renew", "x-ms-lease-id": id }),
    change: (from, to) => outcomeOf(file.getShareLeaseClient(from).changeLease(to)),
    release: (id) => outcomeOf(file.getShareLeaseClient(id).releaseLease()),
    breakLease: (period) =>
      period === undefined
        ? outcomeOf(file.getShareLeaseClient().breakLease())
        : rawLease(ts, leaseUrl, { "x-ms-lease-action": "break", "x-ms-lease-break-period": String(period) }),
    write: (leaseId) => outcomeOf(file.setMetadata({ w: "1" }, leaseConditions(leaseId))),
    read: (leaseId) => outcomeOf(file.getProperties(leaseConditions(leaseId))),
    async props() {
      const p = await file.getProperties();
      return {
        facts: { state: p.leaseState, status: p.leaseStatus, duration: p.leaseDuration },
        stamp: stampOf(p),
      };
    },
    created,
  };
}

const SHARE_PROPERTIES_OK: SdkResponse = { _response: { status: 200, headers: { get: () => undefined } } };

/** A `Leasable` over an existing share. */
export function leasableShare(ts: TestServer, share: ShareClient, created: Stamp): Leasable {
  const leaseUrl = `${share.url}?restype=share&comp=lease`;
  return {
    target: "share",
    url: share.url,
    acquire: (proposedId, duration) =>
      proposedId === null
        ? rawLease(ts, leaseUrl, { "x-ms-lease-action": "acquire", "x-ms-lease-duration": String(duration) })
        : outcomeOf(share.getShareLeaseClient(proposedId).acquireLease(duration)),
    renew: (id) => rawLease(ts, leaseUrl, { "x-ms-lease-action": "renew", "x-ms-lease-id": id }),
    change: (from, to) => outcomeOf(share.getShareLeaseClient(from).changeLease(to)),
    release: (id) => outcomeOf(share.getShareLeaseClient(id).releaseLease()),
    breakLease: (period) =>
      outcomeOf(
        share
          .getShareLeaseClient()
          // The SDK forwards `breakPeriod` as x-ms-lease-break-period, though its option type omits it.
          .breakLease((period === undefined ? {} : { breakPeriod: period }) as object),
      ),
    write: (leaseId) => outcomeOf(share.setMetadata({ w: "1" }, leaseConditions(leaseId))),
    // ShareClient.getProperties spreads the response, losing `_response`: a success is a 200.
    read: (leaseId) =>
      outcomeOf(share.getProperties(leaseConditions(leaseId)).then(() => SHARE_PROPERTIES_OK)),
    async props() {
      const p = await share.getProperties();
      return {
        facts: { state: p.leaseState, status: p.leaseStatus, duration: p.leaseDuration },
        stamp: { etag: p.etag ?? "", lastModified: p.lastModified?.toUTCString() ?? "" },
      };
    },
    created,
  };
}

/** Fresh files in `share`, each with 1 KiB of content. */
export function fileKit(ts: TestServer, share: ShareClient): LeasableKit {
  let n = 0;
  return {
    target: "file",
    async fresh() {
      n += 1;
      const file = share.rootDirectoryClient.getFileClient(`leased-${n}.bin`);
      return leasableFile(ts, file, stampOf(await file.create(1024)));
    },
  };
}

/** Fresh shares in the account. */
export function shareKit(ts: TestServer, service: ShareServiceClient): LeasableKit {
  return {
    target: "share",
    async fresh() {
      const share = service.getShareClient(uniqueShareName("lease"));
      return leasableShare(ts, share, stampOf(await share.create()));
    },
  };
}
