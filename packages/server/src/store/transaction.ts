import type {
  LeaseRecord,
  ListPage,
  NewNode,
  NewShare,
  NodeRecord,
  RangeRecord,
  ServicePropertiesRecord,
  ShareRecord,
} from "./records.js";

/** Fields of a share the engine may change. */
export type SharePatch = Partial<
  Pick<
    ShareRecord,
    | "quotaGiB"
    | "metadata"
    | "etag"
    | "lastModified"
    | "accessTier"
    | "accessTierChangeTime"
    | "rootSquash"
    | "lease"
    | "acl"
  >
>;

/** Fields of a node the engine may change. */
export type NodePatch = Partial<Omit<NodeRecord, "id" | "shareId" | "kind" | "fileId">>;

export interface ListOptions {
  /** Only names (nameKey for nodes) starting with this. */
  prefix?: string;
  /** Continue strictly after this key. */
  marker?: string;
  /** At most this many items (>= 1). */
  limit: number;
}

/**
 * One metadata-store transaction. Every method is data access only: no domain rules and no
 * StorageError (except on corrupt data). All changes become visible atomically at commit.
 */
export interface Transaction {
  // -- service -------------------------------------------------------------------------------
  getServiceProperties(account: string): Promise<ServicePropertiesRecord | null>;
  setServiceProperties(account: string, props: ServicePropertiesRecord): Promise<void>;

  // -- shares --------------------------------------------------------------------------------
  /** snapshot "" is the base share. */
  getShare(account: string, name: string, snapshot: string): Promise<ShareRecord | null>;
  insertShare(share: NewShare): Promise<ShareRecord>;
  updateShare(id: number, patch: SharePatch): Promise<void>;
  /** Deletes the share row and everything in it (nodes, ranges, permissions). */
  deleteShare(id: number): Promise<void>;
  /** Shares of an account ordered by (name, snapshot); marker is an opaque key from a previous page. */
  listShares(
    account: string,
    opts: ListOptions & { includeSnapshots: boolean },
  ): Promise<ListPage<ShareRecord>>;
  /** Snapshots ("" excluded) of one share. */
  listSnapshots(account: string, name: string): Promise<ShareRecord[]>;
  /** Sum of file sizes in a share, in bytes. */
  shareUsageBytes(shareId: number): Promise<number>;

  // -- directories and files -----------------------------------------------------------------
  getRoot(shareId: number): Promise<NodeRecord | null>;
  /** The id of a share's root directory: what a path walk needs, without reading the whole row. */
  getRootId(shareId: number): Promise<number | null>;
  getChild(parentId: number, nameKey: string): Promise<NodeRecord | null>;
  getNode(id: number): Promise<NodeRecord | null>;
  insertNode(node: NewNode): Promise<NodeRecord>;
  updateNode(id: number, patch: NodePatch): Promise<void>;
  /** Deletes a node and its ranges (not its children: the engine refuses non-empty directories). */
  deleteNode(id: number): Promise<void>;
  hasChildren(id: number): Promise<boolean>;
  /** Children ordered by nameKey; marker is a nameKey. */
  listChildren(parentId: number, opts: ListOptions): Promise<ListPage<NodeRecord>>;
  /** Next FileId for the account (monotonic). */
  nextFileId(): Promise<string>;

  // -- range maps ----------------------------------------------------------------------------
  /** Entries of a file's range map overlapping [start, end), ordered by start. */
  rangesOverlapping(fileId: number, start: number, end: number): Promise<RangeRecord[]>;
  /** Removes the entries starting at these offsets. */
  deleteRanges(fileId: number, starts: number[]): Promise<void>;
  insertRanges(fileId: number, ranges: RangeRecord[]): Promise<void>;
  /** Copies every range entry of one file to another (snapshots copy maps, not bytes). */
  copyRanges(fromFileId: number, toFileId: number): Promise<void>;
  /** Live byte count per extent over all range maps (for the compactor). */
  liveBytesByExtent(): Promise<Map<string, number>>;
  /** Range entries pointing into one extent (for the compactor). */
  rangesInExtent(extentId: string): Promise<Array<RangeRecord & { fileId: number }>>;

  // -- permissions (SDDL by key) ---------------------------------------------------------------
  putPermission(shareId: number, key: string, sddl: string): Promise<void>;
  getPermission(shareId: number, key: string): Promise<string | null>;

  // -- leases ----------------------------------------------------------------------------------
  /** Convenience: same as updateShare/updateNode with only { lease }. */
  setShareLease(id: number, lease: LeaseRecord): Promise<void>;
  setNodeLease(id: number, lease: LeaseRecord): Promise<void>;
}

/** The metadata store: async, transactional, backend-agnostic (SQLite embedded, PostgreSQL scale-out). */
export interface MetadataStore {
  /**
   * Runs `work` in one serializable transaction and commits it; rolls back if `work` throws
   * (the error is rethrown). `work` must do no I/O other than through `tx`.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
