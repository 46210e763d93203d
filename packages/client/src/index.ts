/**
 * `@sharelock/client`: a TypeScript SDK for Sharelock and Azure Files, with the seed's
 * (Python `azure.storage.fileshare`) API in camelCase.
 *
 * @packageDocumentation
 */

export type { ClientOptions } from "./client-context.js";
// Connection strings and URLs
export { type ConnectionStringParts, parseConnectionString } from "./connection-string.js";
// Constants
export {
  DEV_ACCOUNT_KEY,
  DEV_ACCOUNT_NAME,
  DEV_FILE_ENDPOINT,
  INFINITE_LEASE_DURATION,
  MAX_RANGE_SIZE,
  SERVICE_VERSION,
} from "./constants.js";
export { AnonymousCredential } from "./credentials/anonymous-credential.js";
// Credentials and signing
export type { Credential } from "./credentials/credential.js";
export { SasCredential } from "./credentials/sas-credential.js";
export { SharedKeyCredential } from "./credentials/shared-key-credential.js";
export { type CreateIfNotExistsResult, ShareDirectoryClient } from "./directory-client.js";
export { type DownloadFileOptions, FileDownload } from "./download.js";
export { type RangeWriteResult, ShareFileClient } from "./file-client.js";
export type { AutoRenewOptions } from "./lease-auto-renew.js";
export { type LeaseAcquireOptions, type LeaseBreakOptions, ShareLeaseClient } from "./lease-client.js";
export type {
  ContentSettings,
  CopyProperties,
  CorsRule,
  DirectoryItem,
  DirectoryListPage,
  DirectoryOrFileItem,
  DirectoryProperties,
  FileItem,
  FileProperties,
  FileRange,
  FileTime,
  LeaseDurationType,
  LeaseProperties,
  LeaseState,
  LeaseStatus,
  ListFilesInclude,
  Metrics,
  OpenUnion,
  RangeList,
  ResponseInfo,
  RetentionPolicy,
  ServiceProperties,
  ShareListPage,
  ShareProperties,
  ShareProtocolSettings,
  ShareStats,
  SmbInfo,
  SmbProperties,
  SmbWriteResult,
  TransferProgress,
  WriteResult,
} from "./models.js";
// Options and models
export type {
  DirectoryCreateOptions,
  FileCreateOptions,
  LeaseCallOptions,
  ListDirectoriesAndFilesOptions,
  ListRangesOptions,
  ListSharesOptions,
  SetHttpHeadersOptions,
  ShareCreateOptions,
  ShareDeleteOptions,
  SharePropertiesUpdate,
  UploadRangeOptions,
} from "./options.js";
// Listings
export type { PagedAsyncIterableIterator, PageSettings } from "./paging.js";
export { ShareError, type ShareErrorInit, type ShareErrorKind } from "./pipeline/errors.js";
// Pipeline and errors
export { type CallOptions, type FetchLike, Pipeline, type PipelineOptions } from "./pipeline/pipeline.js";
export type { HttpMethod, PipelineRequest, PipelineResponse } from "./pipeline/request.js";
export { isRetryableStatus, type RetryOptions } from "./pipeline/retry.js";
// SAS generation
export {
  type AccountSasOptions,
  accountSasStringToSign,
  generateAccountSas,
} from "./sas/account-sas.js";
export {
  type FileSasOptions,
  fileSasStringToSign,
  generateFileSas,
  generateShareSas,
  type ShareSasOptions,
} from "./sas/file-sas.js";
export type {
  AccountSasPermissions,
  AccountSasResourceTypes,
  FileSasPermissions,
  ShareSasPermissions,
} from "./sas/sas-permissions.js";
export { formatSasTime, type SasProtocol } from "./sas/sas-values.js";
// Clients
export { ShareServiceClient } from "./service-client.js";
export { ShareClient, type ShareCreateResult, type ShareSnapshotResult } from "./share-client.js";
export {
  canonicalizedHeaders,
  canonicalizedResource,
  type SignableRequest,
  sharedKeyStringToSign,
} from "./signing/shared-key-string-to-sign.js";
export type { UploadFileOptions, UploadFileResult } from "./upload.js";
// Transfers
export type { UploadData } from "./upload-source.js";
export { type AccountEndpoint, isPathStyleHost } from "./urls.js";
