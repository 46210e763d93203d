import type { ContentSettings, ListFilesInclude, SmbProperties } from "./models.js";
import type { CallOptions } from "./pipeline/pipeline.js";

/** {@link CallOptions} plus the lease id of the leased resource. */
export interface LeaseCallOptions extends CallOptions {
  /**
   * The active lease id. Required for writes and deletes on a leased file or share; on reads it is a
   * condition (the call fails if the lease id does not match).
   */
  leaseId?: string | undefined;
}

/** Options for creating a share. */
export interface ShareCreateOptions extends CallOptions {
  /** Metadata for the share. */
  metadata?: Record<string, string> | undefined;
  /** Quota in GiB. */
  quota?: number | undefined;
  /** Access tier: `TransactionOptimized`, `Hot`, `Cool` or `Premium`. */
  accessTier?: string | undefined;
  /** Enabled protocols: `SMB` (default) or `NFS`. */
  protocols?: string | undefined;
  /** NFS root squash: `NoRootSquash`, `RootSquash` or `AllSquash`. */
  rootSquash?: string | undefined;
}

/** Options for deleting a share. */
export interface ShareDeleteOptions extends LeaseCallOptions {
  /**
   * Also delete the share's snapshots: `true` or `"include"`, or `"include-leased"` to delete
   * leased snapshots too.
   */
  deleteSnapshots?: boolean | "include" | "include-leased" | undefined;
}

/** Share properties that Set Share Properties changes; `undefined` ones are left alone. */
export interface SharePropertiesUpdate {
  /** Quota in GiB. */
  quota?: number | undefined;
  /** Access tier. */
  accessTier?: string | undefined;
  /** NFS root squash. */
  rootSquash?: string | undefined;
}

/** Options for listing shares. */
export interface ListSharesOptions extends CallOptions {
  /** Only shares whose names start with this. */
  nameStartsWith?: string | undefined;
  /** Also return each share's metadata. */
  includeMetadata?: boolean | undefined;
  /** Also return share snapshots. */
  includeSnapshots?: boolean | undefined;
  /** Also return soft-deleted shares. */
  includeDeleted?: boolean | undefined;
  /** Page size when iterating item by item (default: the service's, up to 5000). */
  maxPageSize?: number | undefined;
}

/** Options for listing a directory. */
export interface ListDirectoriesAndFilesOptions extends CallOptions {
  /** Only entries whose names start with this. */
  nameStartsWith?: string | undefined;
  /** Optional fields to return for each entry. */
  include?: ListFilesInclude[] | undefined;
  /** Also return file ids and exact sizes (`x-ms-file-extended-info`). */
  includeExtendedInfo?: boolean | undefined;
  /** Page size when iterating item by item (default: the service's, up to 5000). */
  maxPageSize?: number | undefined;
}

/** Options for creating a directory. */
export interface DirectoryCreateOptions extends CallOptions {
  /** Metadata for the directory. */
  metadata?: Record<string, string> | undefined;
  /** SMB properties for the directory. */
  smbProperties?: SmbProperties | undefined;
  /**
   * Accepted because the seed passes a share lease id to `create_directory`; directory operations
   * take no lease on Azure, so it is not sent.
   */
  leaseId?: string | undefined;
}

/** Options for creating a file. */
export interface FileCreateOptions extends LeaseCallOptions {
  /** Metadata for the file. */
  metadata?: Record<string, string> | undefined;
  /** Content headers for the file. */
  contentSettings?: ContentSettings | undefined;
  /** SMB properties for the file. */
  smbProperties?: SmbProperties | undefined;
}

/** Options for writing one range. */
export interface UploadRangeOptions extends LeaseCallOptions {
  /** Compute the range's MD5 and send it, so the service rejects corrupted data. */
  validateContent?: boolean | undefined;
  /** The range's MD5, if already known (sent as `Content-MD5`). */
  contentMd5?: Uint8Array | undefined;
  /** Whether the write updates the last write time (`now`, default) or keeps it (`preserve`). */
  fileLastWrittenMode?: "now" | "preserve" | undefined;
}

/** Options for listing a file's ranges. */
export interface ListRangesOptions extends LeaseCallOptions {
  /** Start of the byte range to list. */
  offset?: number | undefined;
  /** Length of the byte range to list (requires `offset`). */
  length?: number | undefined;
  /** List only the ranges changed since this share snapshot. */
  previousShareSnapshot?: string | undefined;
}

/** Options for setting a file's content headers. */
export interface SetHttpHeadersOptions extends LeaseCallOptions {
  /** SMB properties to change at the same time. */
  smbProperties?: SmbProperties | undefined;
}
