/** Permissions of a file SAS. */
export interface FileSasPermissions {
  /** `r`: read content, properties, metadata. */
  read?: boolean | undefined;
  /** `c`: create a file. */
  create?: boolean | undefined;
  /** `w`: write content, properties, metadata; lease the file. */
  write?: boolean | undefined;
  /** `d`: delete the file. */
  delete?: boolean | undefined;
}

/** Permissions of a share SAS: the file permissions plus listing. */
export interface ShareSasPermissions extends FileSasPermissions {
  /** `l`: list directories and files. */
  list?: boolean | undefined;
}

/** Permissions of an account SAS. */
export interface AccountSasPermissions {
  /** `r` */
  read?: boolean | undefined;
  /** `w` */
  write?: boolean | undefined;
  /** `d` */
  delete?: boolean | undefined;
  /** `l` */
  list?: boolean | undefined;
  /** `a` */
  add?: boolean | undefined;
  /** `c` */
  create?: boolean | undefined;
  /** `u` */
  update?: boolean | undefined;
  /** `p` */
  process?: boolean | undefined;
}

/** Which kinds of resources an account SAS reaches. */
export interface AccountSasResourceTypes {
  /** `s`: service-level operations (list shares, service properties). */
  service?: boolean | undefined;
  /** `c`: container-level operations (shares, directories). */
  container?: boolean | undefined;
  /** `o`: object-level operations (files). */
  object?: boolean | undefined;
}

/** Letters in canonical order, each with the flag name it stands for. */
type LetterTable = ReadonlyArray<readonly [letter: string, flag: string]>;

/** File permission letters in their required order. */
export const FILE_PERMISSION_LETTERS: LetterTable = [
  ["r", "read"],
  ["c", "create"],
  ["w", "write"],
  ["d", "delete"],
];

/** Share permission letters in their required order. */
export const SHARE_PERMISSION_LETTERS: LetterTable = [...FILE_PERMISSION_LETTERS, ["l", "list"]];

/** Account permission letters in their required order. */
export const ACCOUNT_PERMISSION_LETTERS: LetterTable = [
  ["r", "read"],
  ["w", "write"],
  ["d", "delete"],
  ["l", "list"],
  ["a", "add"],
  ["c", "create"],
  ["u", "update"],
  ["p", "process"],
];

/** Resource-type letters in their required order. */
export const RESOURCE_TYPE_LETTERS: LetterTable = [
  ["s", "service"],
  ["c", "container"],
  ["o", "object"],
];

/**
 * Turns permissions given as letters (any order) or as flags into the canonical letter string.
 * @throws RangeError for a letter the table does not allow, or when nothing is granted.
 */
export function canonicalLetters(input: string | object, table: LetterTable, what: string): string {
  let granted: Set<string>;
  if (typeof input === "string") {
    granted = new Set(input);
    for (const letter of granted) {
      if (!table.some(([allowed]) => allowed === letter)) {
        throw new RangeError(
          `"${letter}" is not a valid ${what} letter (allowed: ${table.map(([l]) => l).join("")}).`,
        );
      }
    }
  } else {
    const flags = input as Record<string, unknown>;
    granted = new Set(table.filter(([, flag]) => flags[flag] === true).map(([letter]) => letter));
  }
  const letters = table
    .map(([letter]) => letter)
    .filter((letter) => granted.has(letter))
    .join("");
  if (letters === "") throw new RangeError(`A SAS needs at least one ${what}.`);
  return letters;
}
