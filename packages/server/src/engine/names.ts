import { errors } from "../errors/catalogue.js";
import type { Metadata } from "../store/records.js";

const SHARE_NAME = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;
// Characters Azure Files refuses in a directory or file name.
const BAD_PATH_CHARS = /["\\/:|<>*?]/;
const MAX_NAME_LENGTH = 255;
const MAX_PATH_LENGTH = 2048;
const MAX_DEPTH = 250;
// Device names Windows reserves; Azure Files refuses them as directory or file names (any case).
const RESERVED_NAMES = new Set([
  "con",
  "prn",
  "aux",
  "nul",
  "clock$",
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`com${n}`, `lpt${n}`]),
]);
const METADATA_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_METADATA_BYTES = 8 * 1024;

/** Share names: 3–63 lower-case letters, digits and single hyphens, not starting or ending in a hyphen. */
export function validateShareName(name: string): void {
  if (!SHARE_NAME.test(name)) throw errors.invalidResourceName();
}

/** Directory and file path segments below a share. */
export function validatePath(segments: string[]): void {
  if (segments.length > MAX_DEPTH) throw errors.invalidFileOrDirectoryPathName();
  let total = 0;
  for (const segment of segments) {
    total += segment.length + 1;
    if (segment.length === 0 || segment.length > MAX_NAME_LENGTH) throw errors.invalidResourceName();
    if (
      BAD_PATH_CHARS.test(segment) ||
      hasForbiddenCharacter(segment) ||
      segment === "." ||
      segment === ".."
    ) {
      throw errors.invalidResourceName();
    }
    if (RESERVED_NAMES.has(segment.toLowerCase())) throw errors.invalidResourceName();
    if (/[. ]$/.test(segment)) throw errors.invalidResourceName();
  }
  if (total > MAX_PATH_LENGTH) throw errors.invalidFileOrDirectoryPathName();
}

/** C0 and C1 control characters, private-use code points (e.g. U+E000) and the non-characters U+FFFE/U+FFFF. */
function hasForbiddenCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x80 && c <= 0x9f) || (c >= 0xe000 && c <= 0xf8ff) || c >= 0xfffe) return true;
  }
  return false;
}

/** Metadata: C#-identifier keys (case-insensitive, unique), at most 8 KiB of names and values. */
export function validateMetadata(metadata: Metadata): void {
  let bytes = 0;
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(metadata)) {
    if (key === "") throw errors.emptyMetadataKey(key);
    if (!METADATA_KEY.test(key)) throw errors.invalidMetadata();
    const lower = key.toLowerCase();
    if (seen.has(lower)) throw errors.invalidMetadata();
    seen.add(lower);
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (bytes > MAX_METADATA_BYTES) throw errors.metadataTooLarge();
}

/** The case-insensitive key a name is stored and ordered under. */
export function nameKey(name: string): string {
  return name.toLowerCase();
}
