/**
 * The names of the REST operations and the resource a request addresses. Shared vocabulary of the
 * HTTP layer (which decides them) and the auth layer (which grants them), so neither imports the other.
 */

/** Every operation the service understands, named after the REST reference. */
export type Operation =
  | "Service_GetProperties"
  | "Service_SetProperties"
  | "Service_ListShares"
  | "Service_Preflight"
  | "Share_Create"
  | "Share_GetProperties"
  | "Share_Delete"
  | "Share_SetProperties"
  | "Share_GetMetadata"
  | "Share_SetMetadata"
  | "Share_GetStatistics"
  | "Share_Lease"
  | "Share_CreateSnapshot"
  | "Share_CreatePermission"
  | "Share_GetPermission"
  | "Share_GetAccessPolicy"
  | "Share_SetAccessPolicy"
  | "Directory_Create"
  | "Directory_GetProperties"
  | "Directory_Delete"
  | "Directory_SetProperties"
  | "Directory_SetMetadata"
  | "Directory_GetMetadata"
  | "Directory_List"
  | "Directory_ListHandles"
  | "Directory_ForceCloseHandles"
  | "File_Create"
  | "File_StartCopy"
  | "File_AbortCopy"
  | "File_Download"
  | "File_GetProperties"
  | "File_Delete"
  | "File_SetHttpHeaders"
  | "File_SetMetadata"
  | "File_GetMetadata"
  | "File_Lease"
  | "File_PutRange"
  | "File_PutRangeFromUrl"
  | "File_ListRanges"
  | "File_ListHandles"
  | "File_ForceCloseHandles"
  | "File_Rename"
  | "Directory_Rename";

/** Where a request points, decoded. */
export interface Target {
  account: string;
  /** Share name, "" for service-level requests. */
  share: string;
  /** Decoded path segments below the share (directories, then the file). */
  path: string[];
  /** The raw request path below the account segment (path-style) or the whole path (host-style). */
  rawResourcePath: string;
  /** True when the account came from the first path segment. */
  pathStyle: boolean;
}
