import type { Operation } from "../../operations.js";

/** A SAS permission letter that means something to Azure Files. */
export type SasPermission = "r" | "c" | "w" | "d" | "l";

/** Account SAS signed resource types: service, container (share), object (directory or file). */
export type AccountResourceType = "s" | "c" | "o";

/**
 * Which service SAS may run an operation: `never` (account key or account SAS only), `share`
 * (a share SAS, sr=s), `shareOrFile` (a share SAS, or a file SAS for that very file, sr=f).
 */
export type ServiceSasReach = "never" | "share" | "shareOrFile";

/** What a SAS must grant for one operation. */
export interface OperationAccess {
  /** Any one of these permission letters is enough. */
  anyOf: readonly SasPermission[];
  /** The account SAS resource type (`srt`) the operation needs. */
  resourceType: AccountResourceType;
  /** Which service SAS resources may run it at all. */
  serviceSas: ServiceSasReach;
  /**
   * True when "c" (create) only covers a new resource: with "c" and without "w", replacing an
   * existing file is refused (403 AuthorizationPermissionMismatch).
   */
  createOnly?: true;
}

const read = (resourceType: AccountResourceType, serviceSas: ServiceSasReach): OperationAccess => ({
  anyOf: ["r"],
  resourceType,
  serviceSas,
});
const write = (resourceType: AccountResourceType, serviceSas: ServiceSasReach): OperationAccess => ({
  anyOf: ["w"],
  resourceType,
  serviceSas,
});
const remove = (resourceType: AccountResourceType, serviceSas: ServiceSasReach): OperationAccess => ({
  anyOf: ["d"],
  resourceType,
  serviceSas,
});
const create = (resourceType: AccountResourceType, serviceSas: ServiceSasReach): OperationAccess => ({
  anyOf: ["c", "w"],
  resourceType,
  serviceSas,
});
const list = (resourceType: AccountResourceType, serviceSas: ServiceSasReach): OperationAccess => ({
  anyOf: ["l"],
  resourceType,
  serviceSas,
});

/**
 * Operation → what a SAS needs (docs/sas.md has the same table). Share management (create, delete,
 * properties, metadata, statistics, lease, snapshot, ACL) needs the account key or an account SAS
 * with srt=c; a service SAS reaches only what is inside its share (or its one file). Exhaustive:
 * the compiler lists any new operation without an entry.
 */
export const SAS_ACCESS: Readonly<Record<Operation, OperationAccess>> = {
  Service_GetProperties: read("s", "never"),
  Service_SetProperties: write("s", "never"),
  Service_ListShares: list("s", "never"),
  // Preflight is never authenticated; the entry only keeps the table exhaustive.
  Service_Preflight: read("s", "never"),

  Share_Create: create("c", "never"),
  Share_GetProperties: read("c", "never"),
  Share_GetMetadata: read("c", "never"),
  Share_GetStatistics: read("c", "never"),
  Share_GetAccessPolicy: read("c", "never"),
  Share_SetProperties: write("c", "never"),
  Share_SetMetadata: write("c", "never"),
  Share_SetAccessPolicy: write("c", "never"),
  Share_Lease: write("c", "never"),
  Share_CreateSnapshot: write("c", "never"),
  Share_Delete: remove("c", "never"),
  Share_CreatePermission: create("c", "share"),
  Share_GetPermission: read("c", "share"),

  Directory_Create: create("o", "share"),
  Directory_GetProperties: read("o", "share"),
  Directory_GetMetadata: read("o", "share"),
  Directory_SetProperties: write("o", "share"),
  Directory_SetMetadata: write("o", "share"),
  Directory_Delete: remove("o", "share"),
  Directory_List: list("c", "share"),
  Directory_ListHandles: read("o", "share"),
  Directory_ForceCloseHandles: write("o", "share"),
  Directory_Rename: write("o", "share"),

  File_Create: { ...create("o", "shareOrFile"), createOnly: true },
  File_StartCopy: { ...create("o", "shareOrFile"), createOnly: true },
  File_AbortCopy: write("o", "shareOrFile"),
  File_Download: read("o", "shareOrFile"),
  File_GetProperties: read("o", "shareOrFile"),
  File_GetMetadata: read("o", "shareOrFile"),
  File_ListRanges: read("o", "shareOrFile"),
  File_ListHandles: read("o", "shareOrFile"),
  File_SetHttpHeaders: write("o", "shareOrFile"),
  File_SetMetadata: write("o", "shareOrFile"),
  File_PutRange: write("o", "shareOrFile"),
  File_PutRangeFromUrl: write("o", "shareOrFile"),
  File_Lease: write("o", "shareOrFile"),
  File_ForceCloseHandles: write("o", "shareOrFile"),
  File_Delete: remove("o", "shareOrFile"),
  File_Rename: write("o", "share"),
};

/** Whether granted letters (`sp`) include one of the needed ones. */
export function grants(signedPermissions: string, needed: readonly SasPermission[]): boolean {
  return needed.some((letter) => signedPermissions.includes(letter));
}
