/**
 * Naming of extent files in a local content directory. Extent ids are generated here from a
 * counter (never from user input) and are checked before they become part of a path.
 */
import { join } from "node:path";

const ID_DIGITS = 16;
const SUFFIX = ".extent";
const ID_PATTERN = /^\d{16}$/;
const FILE_PATTERN = /^(\d{16})\.extent$/;

/** The extent id for counter value `n`: zero-padded so ids sort as numbers do. */
export function extentIdFor(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`bad extent counter ${n}`);
  return String(n).padStart(ID_DIGITS, "0");
}

/** True if `id` has the shape of an id made by {@link extentIdFor}. */
export function isExtentId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** The path of extent `id` under `dir`; throws on anything that is not a generated id. */
export function extentPath(dir: string, id: string): string {
  if (!isExtentId(id)) throw new Error(`invalid extent id ${JSON.stringify(id)}`);
  return join(dir, id + SUFFIX);
}

/** The extent id a directory entry names, or null if the entry is not an extent file. */
export function extentIdOfFile(fileName: string): string | null {
  return FILE_PATTERN.exec(fileName)?.[1] ?? null;
}
