/** Where a page-by-page listing starts and how big its pages are. */
export interface PageSettings {
  /** A `continuationToken` from an earlier page; omit to start at the beginning. */
  continuationToken?: string | undefined;
  /** The most items per page (the service may return fewer; Azure's maximum is 5000). */
  maxPageSize?: number | undefined;
}

/**
 * A listing: iterate it with `for await` to get every item across all pages, or call
 * {@link PagedAsyncIterableIterator.byPage} to get whole pages with their continuation tokens.
 *
 * @typeParam T - The item type.
 * @typeParam P - The page type.
 */
export interface PagedAsyncIterableIterator<T, P> extends AsyncIterableIterator<T> {
  /** Iterates page by page, starting at `settings.continuationToken` if given. */
  byPage(settings?: PageSettings): AsyncIterableIterator<P>;
}

/** A page as {@link pagedIterator} needs it. */
export interface Page<T> {
  /** The page's items. */
  items: T[];
  /** The token for the next page, `undefined` after the last page. */
  continuationToken: string | undefined;
}

/**
 * Builds a {@link PagedAsyncIterableIterator} from a function that fetches one page.
 * @param fetchPage - Fetches the page starting at `marker` (undefined for the first).
 * @param defaultMaxPageSize - Page size used when `byPage` is not given one.
 */
export function pagedIterator<T, P extends Page<T>>(
  fetchPage: (marker: string | undefined, maxPageSize: number | undefined) => Promise<P>,
  defaultMaxPageSize?: number,
): PagedAsyncIterableIterator<T, P> {
  async function* pages(settings: PageSettings = {}): AsyncIterableIterator<P> {
    const maxPageSize = settings.maxPageSize ?? defaultMaxPageSize;
    if (maxPageSize !== undefined && !(Number.isInteger(maxPageSize) && maxPageSize > 0)) {
      throw new RangeError("maxPageSize must be a positive integer.");
    }
    let marker = settings.continuationToken;
    do {
      const page = await fetchPage(marker || undefined, maxPageSize);
      yield page;
      marker = page.continuationToken;
    } while (marker);
  }

  async function* items(): AsyncIterableIterator<T> {
    for await (const page of pages()) yield* page.items;
  }

  const iterator = items();
  return {
    next: () => iterator.next(),
    return: (value?: unknown) =>
      iterator.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
    [Symbol.asyncIterator]() {
      return this;
    },
    byPage: (settings?: PageSettings) => pages(settings),
  };
}
