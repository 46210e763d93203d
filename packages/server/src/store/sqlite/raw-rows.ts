/**
 * Share and node rows read in better-sqlite3's raw mode (arrays of values) and turned into row
 * objects here. better-sqlite3 builds a row object key by key in C++, which V8 keeps as a
 * dictionary: for the 28-column node row that was half the cost of a lookup and about four times
 * the memory of an object built in JS, where every row shares one hidden class.
 */
import { NODE_COLUMNS, SHARE_COLUMNS, type SqlRow } from "./row-mapping.js";

/** The columns a share SELECT returns, in order. */
export const SHARE_ROW_COLUMNS = ["id", ...SHARE_COLUMNS] as const;
/** The columns a node SELECT returns, in order. */
export const NODE_ROW_COLUMNS = ["id", ...NODE_COLUMNS] as const;

/** Maps a raw row (values in `columns` order) to a row object keyed by column name. */
function rowMaker(columns: readonly string[]): (values: unknown[]) => SqlRow {
  return (values) => {
    const row: SqlRow = {};
    for (let i = 0; i < columns.length; i++) row[columns[i] as string] = values[i];
    return row;
  };
}

/** A raw share row as a row object. */
export const shareRow = rowMaker(SHARE_ROW_COLUMNS);
/** A raw node row as a row object. */
export const nodeRow = rowMaker(NODE_ROW_COLUMNS);
