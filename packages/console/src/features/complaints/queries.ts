import { type InfiniteData, type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, type Complaint, type ComplaintFilters, type ComplaintStatus } from '../../api/client'
import { type CursorPage, useCursorList } from '../../lib/cursor-list'

type ComplaintPage = CursorPage<Complaint>

const complaintKeys = {
  all: ['complaints'] as const,
  list: (filters: ComplaintFilters) => ['complaints', 'list', filters] as const,
  counts: (filters: Pick<ComplaintFilters, 'reporter' | 'created_after' | 'created_before'>) => ['complaints', 'counts', filters] as const,
  one: (id: string) => ['complaints', 'one', id] as const,
  events: (id: string) => ['complaints', 'events', id] as const
}

export function useComplaintList (filters: ComplaintFilters) {
  return useCursorList<Complaint>(complaintKeys.list(filters), async (page) => (await api.GET('/v1/complaints', { params: { query: { ...filters, ...page } } })).data)
}

export function useComplaintCounts (filters: Pick<ComplaintFilters, 'reporter' | 'created_after' | 'created_before'>) {
  return useQuery({
    queryKey: complaintKeys.counts(filters),
    queryFn: async () => (await api.GET('/v1/complaints/counts', { params: { query: filters } })).data?.data,
    placeholderData: (previous) => previous
  })
}

/** The organization's campaigns, to name them in filters and on a complaint. */
export function useCampaigns (enabled: boolean) {
  return useQuery({
    queryKey: ['campaigns'],
    enabled,
    staleTime: 60_000,
    queryFn: async () => (await api.GET('/v1/campaigns', { params: { query: { limit: 100 } } })).data?.data ?? []
  })
}

export function useComplaint (id: string) {
  return useQuery({ queryKey: complaintKeys.one(id), queryFn: async () => (await api.GET('/v1/complaints/{id}', { params: { path: { id } } })).data?.data as Complaint })
}

export function useComplaintEvents (id: string) {
  return useQuery({ queryKey: complaintKeys.events(id), queryFn: async () => (await api.GET('/v1/complaints/{id}/events', { params: { path: { id } } })).data?.data ?? [] })
}

export interface TriageRequest {
  ids: string[]
  status: ComplaintStatus
  resolution_note?: string
}

type Snapshot = Array<[readonly unknown[], unknown]>

/** Writes `status` into every cached copy of these complaints; returns what to put back. */
function patchCached (queryClient: QueryClient, request: TriageRequest): Snapshot {
  const ids = new Set(request.ids)
  const patch = (complaint: Complaint): Complaint => ids.has(complaint.id)
    ? { ...complaint, status: request.status, ...(request.resolution_note === undefined ? {} : { resolution_note: request.resolution_note === '' ? null : request.resolution_note }) }
    : complaint
  const snapshot: Snapshot = []
  for (const [key, value] of queryClient.getQueriesData({ queryKey: complaintKeys.all })) {
    if (value === undefined) continue
    snapshot.push([key, value])
    if (key[1] === 'list') {
      const pages = value as InfiniteData<ComplaintPage>
      queryClient.setQueryData(key, { ...pages, pages: pages.pages.map((page) => ({ ...page, data: page.data.map(patch) })) })
    } else if (key[1] === 'one' && ids.has(key[2] as string)) {
      queryClient.setQueryData(key, patch(value as Complaint))
    }
  }
  return snapshot
}

/**
 * Triage one or many complaints through the bulk route (all or nothing). The change shows
 * at once (optimistic); an error puts every cached copy back and is reported by the caller.
 */
export function useTriage () {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (request: TriageRequest) => (await api.POST('/v1/complaints/bulk-update', { body: request })).data?.data ?? [],
    onMutate: async (request) => {
      await queryClient.cancelQueries({ queryKey: complaintKeys.all })
      return patchCached(queryClient, request)
    },
    onError: (_error, _request, snapshot) => {
      for (const [key, value] of snapshot ?? []) queryClient.setQueryData(key, value)
    },
    onSettled: async () => { await queryClient.invalidateQueries({ queryKey: complaintKeys.all }) }
  })
}
