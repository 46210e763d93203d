/**
 * Raised by `insertShare` / `insertNode` (both SQL backends) when a row with the same unique key
 * already exists: (account, name, snapshot) for shares; (parentId, nameKey) among siblings, or a
 * second root, for nodes. Nothing was written and the transaction stays usable, so the engine may
 * catch it and answer "already exists".
 */
export class DuplicateKeyError extends Error {
  /** "shares" or "nodes". */
  readonly table: string;

  constructor(table: string, detail: string) {
    super(`duplicate key in ${table}: ${detail}`);
    this.name = "DuplicateKeyError";
    this.table = table;
  }
}
