import type { RequestContext } from "./context.js";
import { handlePreflight } from "./cors.js";
import { handleAbortCopy, handleStartCopy } from "./handlers/copy.js";
import {
  handleCreateDirectory,
  handleDeleteDirectory,
  handleForceCloseHandles,
  handleGetDirectoryProperties,
  handleListDirectory,
  handleListHandles,
  handleSetDirectoryMetadata,
  handleSetDirectoryProperties,
} from "./handlers/directory.js";
import {
  handleCreateFile,
  handleDeleteFile,
  handleDownload,
  handleFileForceCloseHandles,
  handleFileListHandles,
  handleGetFileProperties,
  handleListRanges,
  handlePutRange,
  handleSetFileMetadata,
  handleSetFileProperties,
} from "./handlers/file.js";
import { handleLeaseFile, handleLeaseShare } from "./handlers/lease.js";
import { handlePutRangeFromUrl } from "./handlers/range-from-url.js";
import { handleRenameDirectory, handleRenameFile } from "./handlers/rename.js";
import {
  handleGetServiceProperties,
  handleListShares,
  handleSetServiceProperties,
} from "./handlers/service.js";
import {
  handleCreatePermission,
  handleCreateShare,
  handleCreateSnapshot,
  handleDeleteShare,
  handleGetPermission,
  handleGetShareProperties,
  handleGetShareStats,
  handleSetShareMetadata,
  handleSetShareProperties,
} from "./handlers/share.js";
import { handleGetShareAcl, handleSetShareAcl } from "./handlers/share-acl.js";
import type { Operation } from "./route.js";

type Handler = (ctx: RequestContext) => Promise<void>;

/** Operation → handler. Exhaustive: the compiler lists any operation without an entry. */
export const HANDLERS: Record<Operation, Handler> = {
  Service_GetProperties: handleGetServiceProperties,
  Service_SetProperties: handleSetServiceProperties,
  Service_ListShares: handleListShares,
  Service_Preflight: handlePreflight,
  Share_Create: handleCreateShare,
  Share_GetProperties: handleGetShareProperties,
  Share_GetMetadata: handleGetShareProperties,
  Share_Delete: handleDeleteShare,
  Share_SetProperties: handleSetShareProperties,
  Share_SetMetadata: handleSetShareMetadata,
  Share_GetStatistics: handleGetShareStats,
  Share_Lease: handleLeaseShare,
  Share_CreateSnapshot: handleCreateSnapshot,
  Share_CreatePermission: handleCreatePermission,
  Share_GetPermission: handleGetPermission,
  Share_GetAccessPolicy: handleGetShareAcl,
  Share_SetAccessPolicy: handleSetShareAcl,
  Directory_Create: handleCreateDirectory,
  Directory_GetProperties: handleGetDirectoryProperties,
  Directory_GetMetadata: handleGetDirectoryProperties,
  Directory_Delete: handleDeleteDirectory,
  Directory_SetProperties: handleSetDirectoryProperties,
  Directory_SetMetadata: handleSetDirectoryMetadata,
  Directory_List: handleListDirectory,
  Directory_ListHandles: handleListHandles,
  Directory_ForceCloseHandles: handleForceCloseHandles,
  Directory_Rename: handleRenameDirectory,
  File_Create: handleCreateFile,
  File_StartCopy: handleStartCopy,
  File_AbortCopy: handleAbortCopy,
  File_Download: handleDownload,
  File_GetProperties: handleGetFileProperties,
  File_GetMetadata: handleGetFileProperties,
  File_Delete: handleDeleteFile,
  File_SetHttpHeaders: handleSetFileProperties,
  File_SetMetadata: handleSetFileMetadata,
  File_Lease: handleLeaseFile,
  File_PutRange: handlePutRange,
  File_PutRangeFromUrl: handlePutRangeFromUrl,
  File_ListRanges: handleListRanges,
  File_ListHandles: handleFileListHandles,
  File_ForceCloseHandles: handleFileForceCloseHandles,
  File_Rename: handleRenameFile,
};
