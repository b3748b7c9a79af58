import { formatCount } from '../lib/format'

interface PagedList {
  hasNextPage: boolean
  isFetchingNextPage: boolean
  fetchNextPage: () => unknown
}

/** Under a cursor-paged table: how many rows of the total are shown, and the button for the next page. */
export function LoadMore ({ list, shown, total }: { list: PagedList, shown: number, total: number }) {
  return (
    <div className='load-more'>
      {shown > 0 && <span>Showing {formatCount(shown)} of {formatCount(total)}</span>}
      {list.hasNextPage && <button type='button' onClick={() => { list.fetchNextPage() }} disabled={list.isFetchingNextPage}>Load more</button>}
    </div>
  )
}
