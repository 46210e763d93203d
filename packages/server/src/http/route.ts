import { errors } from "../errors/catalogue.js";
import type { Operation, Target } from "../operations.js";

export type { Operation, Target } from "../operations.js";

/**
 * Splits a raw request path into account / share / path: host-style (`<account>.file.<host>`) or
 * path-style (`/<account>/<share>/…`); a path-style path whose first segment is no known account
 * belongs to the default account.
 */
export function parseTarget(
  rawPath: string,
  host: string | undefined,
  isAccount: (name: string) => boolean,
  defaultAccount: string,
): Target {
  const hostAccount = host ? /^([a-z0-9]{3,24})\.file\./.exec(host.toLowerCase())?.[1] : undefined;
  let rest = rawPath;
  let account: string;
  let pathStyle: boolean;
  if (hostAccount && isAccount(hostAccount)) {
    account = hostAccount;
    pathStyle = false;
  } else {
    const m = /^\/([^/?]*)(.*)$/.exec(rawPath);
    const first = decodeSegment(m?.[1] ?? "");
    if (isAccount(first)) {
      account = first;
      rest = m?.[2] ?? "";
    } else {
      // No account segment (e.g. the JS SDK's rename drops it): the path is the default account's.
      account = defaultAccount;
    }
    pathStyle = true;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    throw errors.invalidUri();
  }
  const segments = decoded.split("/");
  // leading "" from the initial slash; a trailing slash leaves a trailing "".
  if (segments[0] === "") segments.shift();
  while (segments.length > 0 && segments[segments.length - 1] === "") segments.pop();
  const share = segments.shift() ?? "";
  return { account, share, path: segments, rawResourcePath: rest, pathStyle };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw errors.invalidUri();
  }
}

/** Decides the operation from method, restype, comp, depth and a few headers. */
export function resolveOperation(
  method: string,
  target: Target,
  query: URLSearchParams,
  header: (name: string) => string | undefined,
): Operation {
  const restype = query.get("restype")?.toLowerCase() ?? "";
  const comp = query.get("comp")?.toLowerCase() ?? "";
  const m = method.toUpperCase();
  if (m === "OPTIONS") return "Service_Preflight";
  const unsupported = () => errors.unsupportedHttpVerb(m);
  const invalid = () => errors.invalidQueryParameterValue("comp", comp);

  if (!target.share) {
    if (restype === "service" && comp === "properties") {
      if (m === "GET") return "Service_GetProperties";
      if (m === "PUT") return "Service_SetProperties";
      throw unsupported();
    }
    if (comp === "list") {
      if (m === "GET") return "Service_ListShares";
      throw unsupported();
    }
    throw errors.invalidQueryParameterValue(restype ? "restype" : "comp", restype ? restype : comp);
  }

  const atShareRoot = target.path.length === 0;
  if (atShareRoot && restype === "share") {
    switch (comp) {
      case "":
        if (m === "PUT") return "Share_Create";
        if (m === "GET" || m === "HEAD") return "Share_GetProperties";
        if (m === "DELETE") return "Share_Delete";
        throw unsupported();
      case "properties":
        if (m === "PUT") return "Share_SetProperties";
        if (m === "GET" || m === "HEAD") return "Share_GetProperties";
        throw unsupported();
      case "metadata":
        if (m === "PUT") return "Share_SetMetadata";
        if (m === "GET" || m === "HEAD") return "Share_GetMetadata";
        throw unsupported();
      case "stats":
        if (m === "GET") return "Share_GetStatistics";
        throw unsupported();
      case "lease":
        if (m === "PUT") return "Share_Lease";
        throw unsupported();
      case "snapshot":
        if (m === "PUT") return "Share_CreateSnapshot";
        throw unsupported();
      case "filepermission":
        if (m === "PUT") return "Share_CreatePermission";
        if (m === "GET") return "Share_GetPermission";
        throw unsupported();
      case "acl":
        if (m === "PUT") return "Share_SetAccessPolicy";
        if (m === "GET" || m === "HEAD") return "Share_GetAccessPolicy";
        throw unsupported();
      default:
        throw invalid();
    }
  }

  if (
    restype === "directory" ||
    (atShareRoot && comp === "listhandles") ||
    (atShareRoot && comp === "forceclosehandles")
  ) {
    switch (comp) {
      case "":
        if (m === "PUT") return "Directory_Create";
        if (m === "GET" || m === "HEAD") return "Directory_GetProperties";
        if (m === "DELETE") return "Directory_Delete";
        throw unsupported();
      case "properties":
        if (m === "PUT") return "Directory_SetProperties";
        throw unsupported();
      case "metadata":
        if (m === "PUT") return "Directory_SetMetadata";
        if (m === "GET" || m === "HEAD") return "Directory_GetMetadata";
        throw unsupported();
      case "list":
        if (m === "GET") return "Directory_List";
        throw unsupported();
      case "listhandles":
        if (m === "GET") return "Directory_ListHandles";
        throw unsupported();
      case "forceclosehandles":
        if (m === "PUT") return "Directory_ForceCloseHandles";
        throw unsupported();
      case "rename":
        if (m === "PUT") return "Directory_Rename";
        throw unsupported();
      default:
        throw invalid();
    }
  }

  if (atShareRoot) {
    // A share-level request without restype=share (or restype=directory) names nothing.
    throw restype
      ? errors.invalidQueryParameterValue("restype", restype)
      : errors.missingRequiredQueryParameter("restype");
  }
  if (restype) throw errors.invalidQueryParameterValue("restype", restype);

  switch (comp) {
    case "":
      if (m === "PUT") return header("x-ms-copy-source") !== undefined ? "File_StartCopy" : "File_Create";
      if (m === "GET") return "File_Download";
      if (m === "HEAD") return "File_GetProperties";
      if (m === "DELETE") return "File_Delete";
      throw unsupported();
    case "properties":
      if (m === "PUT") return "File_SetHttpHeaders";
      if (m === "GET" || m === "HEAD") return "File_GetProperties";
      throw unsupported();
    case "metadata":
      if (m === "PUT") return "File_SetMetadata";
      if (m === "GET" || m === "HEAD") return "File_GetMetadata";
      throw unsupported();
    case "lease":
      if (m === "PUT") return "File_Lease";
      throw unsupported();
    case "range":
      if (m === "PUT")
        return header("x-ms-copy-source") !== undefined ? "File_PutRangeFromUrl" : "File_PutRange";
      throw unsupported();
    case "rangelist":
      if (m === "GET") return "File_ListRanges";
      throw unsupported();
    case "copy":
      if (m === "PUT") return "File_AbortCopy";
      throw unsupported();
    case "listhandles":
      if (m === "GET") return "File_ListHandles";
      throw unsupported();
    case "forceclosehandles":
      if (m === "PUT") return "File_ForceCloseHandles";
      throw unsupported();
    case "rename":
      if (m === "PUT") return "File_Rename";
      throw unsupported();
    default:
      throw invalid();
  }
}
