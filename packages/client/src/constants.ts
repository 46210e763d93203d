/** The REST API version this SDK speaks; sent as `x-ms-version` on every request. */
export const SERVICE_VERSION = "2026-06-06";

/** This package's version, used in the `User-Agent` header. */
export const SDK_VERSION = "0.1.0";

/** The largest body one Put Range request may carry (4 MiB); the default upload chunk size. */
export const MAX_RANGE_SIZE = 4 * 1024 * 1024;

/** The default chunk size for ranged, parallel downloads (4 MiB). */
export const DEFAULT_DOWNLOAD_RANGE_SIZE = 4 * 1024 * 1024;

/** The default number of ranges moved at once by uploads and downloads. */
export const DEFAULT_CONCURRENCY = 4;

/** Lease duration value meaning "never expires". */
export const INFINITE_LEASE_DURATION = -1;

/** Account name of the local development account (Sharelock's default account). */
export const DEV_ACCOUNT_NAME = "devstoreaccount1";

/** The publicly documented key of the local development account. It is not a secret. */
export const DEV_ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** Sharelock's default local endpoint (path-style, the account is the first path segment). */
export const DEV_FILE_ENDPOINT = `http://127.0.0.1:10004/${DEV_ACCOUNT_NAME}`;
