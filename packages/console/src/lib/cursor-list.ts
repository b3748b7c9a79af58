import { type InfiniteData, useInfiniteQuery } from '@tanstack/react-query'

export type CursorPage<Row> = { data: Row[], meta: { total: number, next_cursor: string | null } }

const PAGE_SIZE = 50

/**
 * A cursor-paged API list read page by page ("Load more"). While new filters load, the rows
 * of the previous ones stay on screen instead of flashing empty.
 */
export function useCursorList<Row> (queryKey: readonly unknown[], fetchPage: (page: { limit: number, cursor?: string }) => Promise<unknown>) {
  return useInfiniteQuery({
    queryKey,
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) => await fetchPage({ limit: PAGE_SIZE, ...(pageParam === null ? {} : { cursor: pageParam }) }) as CursorPage<Row>,
    getNextPageParam: (page) => page.meta.next_cursor,
    placeholderData: (previous) => previous
  })
}

/** The rows loaded so far, in order, and the exact total the API counted for the filters. */
export function loadedRows<Row> (data: InfiniteData<CursorPage<Row>> | undefined): { rows: Row[], total: number } {
  return { rows: data?.pages.flatMap((page) => page.data) ?? [], total: data?.pages[0]?.meta.total ?? 0 }
}
