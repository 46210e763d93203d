let counter = 0;

/** A share name unique within this test run (Azure share-name rules). */
export function uniqueShareName(prefix = "share"): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
}
