import type { EngineDeps } from "./deps.js";
import { nameKey } from "./names.js";

/**
 * Whether a directory or file exists at `path` in a base share. Never throws for a missing share
 * or parent (that is simply "no"), so authorization can ask before the operation reports its own
 * errors.
 */
export async function nodeExists(
  deps: EngineDeps,
  account: string,
  share: string,
  path: readonly string[],
): Promise<boolean> {
  if (path.length === 0) return false;
  return deps.store.transaction(async (tx) => {
    const record = await tx.getShare(account, share, "");
    if (!record) return false;
    let node = await tx.getRoot(record.id);
    for (const segment of path) {
      if (node?.kind !== "directory") return false;
      node = await tx.getChild(node.id, nameKey(segment));
    }
    return node !== null;
  });
}
