/**
 * The data types the clients return and accept. Dates are `Date` objects, sizes are numbers of
 * bytes, metadata is a plain string record (keys come back lower-cased, as HTTP headers are).
 */

/**
 * A string union that still accepts values a newer service may send.
 * @typeParam T - The known values.
 */
export type OpenUnion<T extends string> = T | (string & {});

/** Whether a resource is locked by a lease: `locked` while leased or breaking. */
export type LeaseStatus = OpenUnion<"locked" | "unlocked">;

/** The lease state machine's current state. Files use only available, leased and broken on Azure. */
export type LeaseState = OpenUnion<"available" | "leased" | "expired" | "breaking" | "broken">;

/** How long a lease lasts: `infinite` or `fixed` (15–60 s); reported only while leased. */
export type LeaseDurationType = OpenUnion<"infinite" | "fixed">;

/** The lease part of a file's or share's properties (the seed's `properties.lease`). */
export interface LeaseProperties {
  /** `locked` or `unlocked`. */
  status: LeaseStatus;
  /** `available`, `leased`, `expired`, `breaking` or `broken`. */
  state: LeaseState;
  /** `infinite` or `fixed` while leased; `undefined` otherwise. */
  duration: LeaseDurationType | undefined;
}

/** Fields every response carries. */
export interface ResponseInfo {
  /** The service's `x-ms-request-id`. */
  requestId?: string | undefined;
  /** The `x-ms-client-request-id` this SDK sent (echoed back by the service). */
  clientRequestId?: string | undefined;
  /** The `x-ms-version` the service answered with. */
  version?: string | undefined;
  /** The service's `Date` header. */
  date?: Date | undefined;
}

/** The result of a call that changes a resource. */
export interface WriteResult extends ResponseInfo {
  /** The resource's new ETag. */
  etag?: string | undefined;
  /** The resource's new last-modified time. */
  lastModified?: Date | undefined;
}

/** HTTP content headers stored with a file and returned when it is downloaded. */
export interface ContentSettings {
  /** `Content-Type`, e.g. `text/plain`. */
  contentType?: string | undefined;
  /** `Content-Encoding`, e.g. `gzip`. */
  contentEncoding?: string | undefined;
  /** `Content-Language`, e.g. `en-US`. */
  contentLanguage?: string | undefined;
  /** `Content-Disposition`, e.g. `attachment; filename="a.txt"`. */
  contentDisposition?: string | undefined;
  /** `Cache-Control`, e.g. `no-cache`. */
  cacheControl?: string | undefined;
  /** The MD5 hash of the whole file's content (16 bytes), as stored by the client. */
  contentMd5?: Uint8Array | undefined;
}

/** A time for an SMB property: a date, `"now"` (the service's clock) or `"preserve"` (keep it). */
export type FileTime = Date | "now" | "preserve";

/** SMB properties that can be set when creating a file or directory, or setting its properties. */
export interface SmbProperties {
  /** Attribute names joined by `|`, e.g. `"ReadOnly|Archive"`, or `"None"`, `"preserve"`. */
  fileAttributes?: string | undefined;
  /** Creation time. */
  fileCreationTime?: FileTime | undefined;
  /** Last write time. */
  fileLastWriteTime?: FileTime | undefined;
  /** Change time. */
  fileChangeTime?: FileTime | undefined;
  /** A security descriptor (SDDL), or `"inherit"` / `"preserve"`. Exclusive with `filePermissionKey`. */
  filePermission?: string | undefined;
  /** The key of a permission created on the share. Exclusive with `filePermission`. */
  filePermissionKey?: string | undefined;
}

/** SMB information the service reports for files and directories. */
export interface SmbInfo {
  /** Attribute names joined by `|`, e.g. `Archive` or `Directory`. */
  fileAttributes?: string | undefined;
  /** Creation time. */
  creationTime?: Date | undefined;
  /** Last write time. */
  lastWriteTime?: Date | undefined;
  /** Change time. */
  changeTime?: Date | undefined;
  /** Key of the security descriptor. */
  filePermissionKey?: string | undefined;
  /** The service's id for the file or directory. */
  fileId?: string | undefined;
  /** The id of the parent directory. */
  fileParentId?: string | undefined;
}

/** The result of creating a file or directory, or changing its properties. */
export interface SmbWriteResult extends WriteResult, SmbInfo {
  /** True when the content is encrypted at rest by the service. */
  serverEncrypted?: boolean | undefined;
}

/** A share's properties, from Get Share Properties or from a share listing. */
export interface ShareProperties {
  /** The share name. */
  name: string;
  /** The snapshot time, for a share snapshot. */
  snapshot?: string | undefined;
  /** The ETag. */
  etag: string | undefined;
  /** Last modified time. */
  lastModified: Date | undefined;
  /** Quota in GiB. */
  quota: number | undefined;
  /** User metadata. */
  metadata: Record<string, string>;
  /** Lease status, state and duration. */
  lease: LeaseProperties;
  /** Access tier: `TransactionOptimized`, `Hot`, `Cool` or `Premium`. */
  accessTier?: string | undefined;
  /** When the access tier last changed. */
  accessTierChangeTime?: Date | undefined;
  /** `pending-from-...` while a tier change is in progress. */
  accessTierTransitionState?: string | undefined;
  /** Enabled protocols: `SMB` or `NFS`. */
  enabledProtocols?: string | undefined;
  /** NFS root squash: `NoRootSquash`, `RootSquash` or `AllSquash`. */
  rootSquash?: string | undefined;
  /** Provisioned IOPS (premium shares). */
  provisionedIops?: number | undefined;
  /** Provisioned bandwidth in MiB/s (premium shares). */
  provisionedBandwidthMiBps?: number | undefined;
  /** The earliest time the quota may be lowered. */
  nextAllowedQuotaDowngradeTime?: Date | undefined;
  /** True for a soft-deleted share (listings with `includeDeleted`). */
  deleted?: boolean | undefined;
  /** The version of a soft-deleted share. */
  version?: string | undefined;
  /** When a soft-deleted share was deleted. */
  deletedTime?: Date | undefined;
  /** Days before a soft-deleted share is removed for good. */
  remainingRetentionDays?: number | undefined;
}

/** Copy status of a file that was the destination of Copy File. */
export interface CopyProperties {
  /** The copy id. */
  id?: string | undefined;
  /** `pending`, `success`, `aborted` or `failed`. */
  status?: string | undefined;
  /** The source URL. */
  source?: string | undefined;
  /** `<bytes copied>/<total bytes>`. */
  progress?: string | undefined;
  /** When the copy finished. */
  completionTime?: Date | undefined;
  /** Why a copy failed. */
  statusDescription?: string | undefined;
}

/** A file's properties, from Get File Properties or from a download. */
export interface FileProperties extends SmbInfo {
  /** The file name (last path segment). */
  name: string;
  /** The path within the share, segments joined by `/`. */
  path: string;
  /** The share name. */
  shareName: string;
  /** The share snapshot the properties were read from, if any. */
  snapshot?: string | undefined;
  /** The file size in bytes. */
  size: number;
  /** The ETag. */
  etag: string | undefined;
  /** Last modified time. */
  lastModified: Date | undefined;
  /** User metadata. */
  metadata: Record<string, string>;
  /** Content headers. */
  contentSettings: ContentSettings;
  /** Lease status, state and duration (the seed's `properties.lease`). */
  lease: LeaseProperties;
  /** Copy status, when the file was a copy destination. */
  copy: CopyProperties;
  /** True when the content is encrypted at rest by the service. */
  serverEncrypted?: boolean | undefined;
}

/** A directory's properties. */
export interface DirectoryProperties extends SmbInfo {
  /** The directory name (last path segment; empty for the root). */
  name: string;
  /** The path within the share (empty for the root). */
  path: string;
  /** The share name. */
  shareName: string;
  /** The ETag. */
  etag: string | undefined;
  /** Last modified time. */
  lastModified: Date | undefined;
  /** User metadata. */
  metadata: Record<string, string>;
  /** True when the directory's metadata is encrypted at rest. */
  serverEncrypted?: boolean | undefined;
}

/** Fields shared by listed files and directories (timestamps etc. only when asked for with `include`). */
interface ListedEntryBase {
  /** The entry name (not the full path). */
  name: string;
  /** The service's id for the entry (with `includeExtendedInfo`). */
  fileId?: string | undefined;
  /** Attribute names joined by `|` (with `include: ["attributes"]`). */
  fileAttributes?: string | undefined;
  /** Permission key (with `include: ["permissionKey"]`). */
  filePermissionKey?: string | undefined;
  /** Creation time (with `include: ["timestamps"]`). */
  creationTime?: Date | undefined;
  /** Last access time (with `include: ["timestamps"]`). */
  lastAccessTime?: Date | undefined;
  /** Last write time (with `include: ["timestamps"]`). */
  lastWriteTime?: Date | undefined;
  /** Change time (with `include: ["timestamps"]`). */
  changeTime?: Date | undefined;
  /** Last modified time (with `include: ["timestamps"]`). */
  lastModified?: Date | undefined;
  /** ETag (with `include: ["etag"]`). */
  etag?: string | undefined;
}

/** A directory in a listing. */
export interface DirectoryItem extends ListedEntryBase {
  /** Discriminant: always `"directory"`. */
  kind: "directory";
  /** Always true (the seed's `is_directory`). */
  isDirectory: true;
}

/** A file in a listing. */
export interface FileItem extends ListedEntryBase {
  /** Discriminant: always `"file"`. */
  kind: "file";
  /** Always false (the seed's `is_directory`). */
  isDirectory: false;
  /** Size in bytes (may lag behind for files open over SMB). */
  size: number;
}

/** One entry of {@link ShareDirectoryClient.listDirectoriesAndFiles}. */
export type DirectoryOrFileItem = DirectoryItem | FileItem;

/** Which optional fields a directory listing returns. */
export type ListFilesInclude = "timestamps" | "etag" | "attributes" | "permissionKey";

/** One page of a directory listing. */
export interface DirectoryListPage extends ResponseInfo {
  /** The entries, in the order the service listed them. */
  items: DirectoryOrFileItem[];
  /** Pass to `byPage({ continuationToken })` to continue; `undefined` on the last page. */
  continuationToken: string | undefined;
  /** The id of the listed directory (with `includeExtendedInfo`). */
  directoryId?: string | undefined;
}

/** One page of a share listing. */
export interface ShareListPage extends ResponseInfo {
  /** The shares. */
  items: ShareProperties[];
  /** Pass to `byPage({ continuationToken })` to continue; `undefined` on the last page. */
  continuationToken: string | undefined;
}

/** Retention of analytics data. */
export interface RetentionPolicy {
  /** Whether old data is deleted. */
  enabled: boolean;
  /** Days to keep data (1–365) when enabled. */
  days?: number | undefined;
}

/** Storage Analytics metrics settings. */
export interface Metrics {
  /** Analytics version, normally `"1.0"`. */
  version: string;
  /** Whether metrics are collected. */
  enabled: boolean;
  /** Whether per-API statistics are collected (only when enabled). */
  includeApis?: boolean | undefined;
  /** How long metrics are kept. */
  retentionPolicy?: RetentionPolicy | undefined;
}

/** One CORS rule. */
export interface CorsRule {
  /** Allowed origins, or `["*"]`. */
  allowedOrigins: string[];
  /** Allowed methods, e.g. `["GET", "PUT"]`. */
  allowedMethods: string[];
  /** Allowed request headers. */
  allowedHeaders: string[];
  /** Response headers exposed to the browser. */
  exposedHeaders: string[];
  /** How long a browser may cache the preflight response, in seconds. */
  maxAgeInSeconds: number;
}

/** SMB and NFS settings of the File service. */
export interface ShareProtocolSettings {
  /** SMB settings. */
  smb?:
    | {
        /** SMB Multichannel. */
        multichannel?: { enabled: boolean } | undefined;
        /** Encryption in transit. */
        encryptionInTransit?: { required: boolean } | undefined;
      }
    | undefined;
  /** NFS settings. */
  nfs?:
    | {
        /** Encryption in transit. */
        encryptionInTransit?: { required: boolean } | undefined;
      }
    | undefined;
}

/** File service properties. On set, parts left `undefined` are left unchanged by the service. */
export interface ServiceProperties {
  /** Hourly metrics. */
  hourMetrics?: Metrics | undefined;
  /** Minute metrics. */
  minuteMetrics?: Metrics | undefined;
  /** CORS rules; an empty array removes all rules. */
  cors?: CorsRule[] | undefined;
  /** Protocol settings. */
  protocol?: ShareProtocolSettings | undefined;
}

/** Share usage statistics. */
export interface ShareStats extends ResponseInfo {
  /** Approximate bytes stored in the share. */
  shareUsageBytes: number;
}

/** A byte range, both ends inclusive (as the service reports them). */
export interface FileRange {
  /** First byte. */
  start: number;
  /** Last byte (inclusive). */
  end: number;
}

/** The result of {@link ShareFileClient.listRanges}. */
export interface RangeList extends ResponseInfo {
  /** Ranges holding data, in order. */
  ranges: FileRange[];
  /** Cleared ranges (only in diff listings). */
  clearRanges: FileRange[];
  /** The file size, from `x-ms-content-length`. */
  fileContentLength?: number | undefined;
  /** The file's ETag. */
  etag?: string | undefined;
  /** The file's last modified time. */
  lastModified?: Date | undefined;
}

/** Progress of an upload or download. */
export interface TransferProgress {
  /** Bytes transferred so far. */
  loadedBytes: number;
  /** Total bytes, when known. */
  totalBytes?: number | undefined;
}
