import type {
  DirectoryListPage,
  DirectoryOrFileItem,
  FileRange,
  RangeList,
  ResponseInfo,
  ShareListPage,
  ShareProperties,
} from "./models.js";
import { parseDate } from "./response-headers.js";
import { parseXml, type XmlElement } from "./xml.js";

/** Parses a List Shares response body. */
export function parseShareListing(body: string): Omit<ShareListPage, keyof ResponseInfo> {
  const root = parseXml(body);
  const items: ShareProperties[] = [];
  for (const share of root.child("Shares")?.all("Share") ?? []) {
    const props = share.child("Properties");
    const text = (name: string) => props?.childText(name) || undefined;
    const leaseState = text("LeaseState");
    items.push({
      name: share.childText("Name") ?? "",
      snapshot: share.childText("Snapshot") || undefined,
      deleted: share.childText("Deleted") === undefined ? undefined : share.childText("Deleted") === "true",
      version: share.childText("Version") || undefined,
      etag: text("Etag"),
      lastModified: parseDate(text("Last-Modified")),
      quota: toNumber(text("Quota")),
      metadata: metadataFromXml(share.child("Metadata")),
      lease: {
        status: text("LeaseStatus") ?? "unlocked",
        state: leaseState ?? "available",
        duration: text("LeaseDuration"),
      },
      accessTier: text("AccessTier"),
      accessTierChangeTime: parseDate(text("AccessTierChangeTime")),
      accessTierTransitionState: text("AccessTierTransitionState"),
      enabledProtocols: text("EnabledProtocols"),
      rootSquash: text("RootSquash"),
      provisionedIops: toNumber(text("ProvisionedIops")),
      provisionedBandwidthMiBps: toNumber(text("ProvisionedBandwidthMiBps")),
      nextAllowedQuotaDowngradeTime: parseDate(text("NextAllowedQuotaDowngradeTime")),
      deletedTime: parseDate(text("DeletedTime")),
      remainingRetentionDays: toNumber(text("RemainingRetentionDays")),
    });
  }
  return { items, continuationToken: root.childText("NextMarker") || undefined };
}

/** Parses a List Directories and Files response body, keeping the service's order of entries. */
export function parseDirectoryListing(body: string): Omit<DirectoryListPage, keyof ResponseInfo> {
  const root = parseXml(body);
  const items: DirectoryOrFileItem[] = [];
  for (const entry of root.child("Entries")?.children ?? []) {
    if (entry.name !== "File" && entry.name !== "Directory") continue;
    const props = entry.child("Properties");
    const text = (name: string) => props?.childText(name) || undefined;
    const common = {
      name: decodeName(entry.child("Name")),
      fileId: entry.childText("FileId") || undefined,
      fileAttributes: entry.childText("Attributes") || undefined,
      filePermissionKey: entry.childText("PermissionKey") || undefined,
      creationTime: parseDate(text("CreationTime")),
      lastAccessTime: parseDate(text("LastAccessTime")),
      lastWriteTime: parseDate(text("LastWriteTime")),
      changeTime: parseDate(text("ChangeTime")),
      lastModified: parseDate(text("Last-Modified")),
      etag: text("Etag"),
    };
    if (entry.name === "Directory") {
      items.push({ kind: "directory", isDirectory: true, ...common });
    } else {
      items.push({
        kind: "file",
        isDirectory: false,
        size: toNumber(text("Content-Length")) ?? 0,
        ...common,
      });
    }
  }
  return {
    items,
    continuationToken: root.childText("NextMarker") || undefined,
    directoryId: root.childText("DirectoryId") || undefined,
  };
}

/** Parses a Get Range List response body. */
export function parseRangeList(body: string): Pick<RangeList, "ranges" | "clearRanges"> {
  const ranges: FileRange[] = [];
  const clearRanges: FileRange[] = [];
  if (body.trim() === "") return { ranges, clearRanges };
  const root = parseXml(body);
  for (const child of root.children) {
    const range = {
      start: toNumber(child.childText("Start")) ?? 0,
      end: toNumber(child.childText("End")) ?? 0,
    };
    if (child.name === "Range") ranges.push(range);
    else if (child.name === "ClearRange") clearRanges.push(range);
  }
  return { ranges, clearRanges };
}

/** Parses a Get Share Stats response body into the usage in bytes. */
export function parseShareStats(body: string): number {
  return toNumber(parseXml(body).childText("ShareUsageBytes")) ?? 0;
}

/** Metadata from a `<Metadata>` element: one child element per key. */
export function metadataFromXml(element: XmlElement | undefined): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const child of element?.children ?? []) metadata[child.name.toLowerCase()] = child.text;
  return metadata;
}

/** A `<Name>` element's text, percent-decoded when it carries `Encoded="true"`. */
function decodeName(element: XmlElement | undefined): string {
  if (!element) return "";
  if (element.attributes.Encoded?.toLowerCase() === "true") {
    try {
      return decodeURIComponent(element.text);
    } catch {
      return element.text;
    }
  }
  return element.text;
}

function toNumber(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
