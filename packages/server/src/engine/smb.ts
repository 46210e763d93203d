import { createHash } from "node:crypto";
import { errors } from "../errors/catalogue.js";
import type { NodeKind, SmbProperties } from "../store/records.js";
import type { Transaction } from "../store/transaction.js";
import { resolveSmbTime } from "./times.js";

/** SMB properties as a request states them (all optional; header values as sent). */
export interface SmbInput {
  attributes?: string;
  creationTime?: string;
  lastWriteTime?: string;
  changeTime?: string;
  /** "inherit", "preserve" or an SDDL string. */
  permission?: string;
  permissionKey?: string;
}

const ATTRIBUTE_NAMES = new Map(
  [
    "ReadOnly",
    "Hidden",
    "System",
    "None",
    "Directory",
    "Archive",
    "Temporary",
    "Offline",
    "NotContentIndexed",
    "NoScrubData",
  ].map((n) => [n.toLowerCase(), n] as const),
);

/** The permission every new file and directory inherits unless told otherwise. */
export const DEFAULT_SDDL = "O:SYG:SYD:(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)";
const MAX_PERMISSION_BYTES = 8 * 1024;

/** A stable permission key for an SDDL string, in Azure's digits*digits shape. */
export function permissionKeyOf(sddl: string): string {
  const h = createHash("sha256").update(sddl).digest();
  return `${h.readBigUInt64BE(0)}*${h.readBigUInt64BE(8)}`;
}

/** Validates and normalises an `x-ms-file-attributes` value. */
export function normaliseAttributes(value: string, kind: NodeKind): string {
  const names = new Set<string>();
  for (const raw of value.split("|")) {
    const name = ATTRIBUTE_NAMES.get(raw.trim().toLowerCase());
    if (!name) throw errors.invalidHeaderValue("x-ms-file-attributes", value);
    names.add(name);
  }
  if (kind === "directory") {
    names.delete("None");
    names.add("Directory");
  } else {
    if (names.has("Directory")) throw errors.invalidHeaderValue("x-ms-file-attributes", value);
    if (names.size > 1) names.delete("None");
  }
  return [...names].join(" | ");
}

/** Stores an SDDL permission for a share (idempotent) and returns its key. */
export async function storePermission(tx: Transaction, shareId: number, sddl: string): Promise<string> {
  if (Buffer.byteLength(sddl) > MAX_PERMISSION_BYTES) throw errors.filePermissionTooLarge();
  if (!/^(O:|G:|D:|S:)/.test(sddl))
    throw errors.invalidHeaderValue("x-ms-file-permission", sddl.slice(0, 64));
  const key = permissionKeyOf(sddl);
  if ((await tx.getPermission(shareId, key)) === null) await tx.putPermission(shareId, key, sddl);
  return key;
}

/** Resolves requested SMB properties against the current ones (undefined `current` = new node). */
export async function resolveSmb(
  tx: Transaction,
  shareId: number,
  input: SmbInput,
  kind: NodeKind,
  nowMs: number,
  current: SmbProperties | undefined,
): Promise<SmbProperties> {
  const attrIn = input.attributes;
  const attributes =
    attrIn === undefined || attrIn.toLowerCase() === "preserve"
      ? (current?.attributes ?? (kind === "directory" ? "Directory" : "Archive"))
      : normaliseAttributes(attrIn, kind);

  if (
    input.permission !== undefined &&
    input.permissionKey !== undefined &&
    input.permission.toLowerCase() !== "preserve" &&
    input.permission.toLowerCase() !== "inherit"
  ) {
    throw errors.invalidHeaderValue("x-ms-file-permission", input.permission.slice(0, 64));
  }
  let permissionKey: string;
  if (input.permissionKey !== undefined) {
    if ((await tx.getPermission(shareId, input.permissionKey)) === null) {
      throw errors.invalidHeaderValue("x-ms-file-permission-key", input.permissionKey);
    }
    permissionKey = input.permissionKey;
  } else if (input.permission === undefined || input.permission.toLowerCase() === "preserve") {
    permissionKey = current?.permissionKey ?? (await storePermission(tx, shareId, DEFAULT_SDDL));
  } else if (input.permission.toLowerCase() === "inherit") {
    permissionKey = await storePermission(tx, shareId, DEFAULT_SDDL);
  } else {
    permissionKey = await storePermission(tx, shareId, input.permission);
  }

  const creationTime = resolveSmbTime(
    "x-ms-file-creation-time",
    input.creationTime,
    nowMs,
    current?.creationTime,
  );
  const lastWriteTime = resolveSmbTime(
    "x-ms-file-last-write-time",
    input.lastWriteTime,
    nowMs,
    current?.lastWriteTime,
  );
  // The change time moves on every change unless the caller sets it.
  const changeTime = resolveSmbTime(
    "x-ms-file-change-time",
    input.changeTime ?? "now",
    nowMs,
    current?.changeTime,
  );
  return { attributes, creationTime, lastWriteTime, changeTime, permissionKey };
}
