import { useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { api, session, toOmbudsError } from '../../api/client'
import { formatCount } from '../../lib/format'
import { useSession } from '../../session'
import { describeError, useAnnouncer } from '../../ui/announcer'
import { Field } from '../../ui/field'

type Phase = { kind: 'idle' } | { kind: 'uploading', loaded: number, total: number } | { kind: 'processing' } | { kind: 'done', rows: number, domainTotal: number } | { kind: 'failed', message: string }

/** Data rows of a Mailgun CSV (the header and blank lines are not rows). */
async function countRows (file: File): Promise<number> {
  const lines = (await file.text()).split(/\r?\n/).filter((line) => line.trim() !== '')
  return Math.max(0, lines.length - 1)
}

/**
 * Sends the file with XMLHttpRequest, whose upload events give a real progress bar (fetch
 * has none), to Mailgun's import route, which answers once every row is stored.
 */
function upload (domain: string, file: File, onProgress: (loaded: number, total: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open('POST', `/v3/${encodeURIComponent(domain)}/complaints/import`)
    request.setRequestHeader('Authorization', `Basic ${btoa(`api:${session.key() ?? ''}`)}`)
    request.upload.addEventListener('progress', (event) => { if (event.lengthComputable) onProgress(event.loaded, event.total) })
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) { resolve(); return }
      let body: unknown = request.responseText
      try { body = JSON.parse(request.responseText) } catch { /* the message is the text itself */ }
      reject(toOmbudsError(new Response(null, { status: request.status, headers: { 'x-request-id': request.getResponseHeader('x-request-id') ?? '' } }), body))
    })
    request.addEventListener('error', () => { reject(new Error('the upload was interrupted')) })
    const form = new FormData()
    form.append('file', file)
    request.send(form)
  })
}

export function ImportCsv () {
  const { org } = useSession()
  const queryClient = useQueryClient()
  const { announce } = useAnnouncer()
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' })
  if (org.domains.length === 0) return null

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const domainId = String(form.get('domain'))
    const domain = org.domains.find((candidate) => candidate.id === domainId)
    const file = form.get('file')
    if (domain === undefined || !(file instanceof File) || file.size === 0) return
    setPhase({ kind: 'uploading', loaded: 0, total: file.size })
    try {
      const rows = await countRows(file)
      await upload(domain.name, file, (loaded, total) => { setPhase(loaded < total ? { kind: 'uploading', loaded, total } : { kind: 'processing' }) })
      const { data } = await api.GET('/v1/suppressions', { params: { query: { domain_id: domain.id, limit: 1 } } })
      const domainTotal = data?.meta.total ?? 0
      setPhase({ kind: 'done', rows, domainTotal })
      announce(`Imported ${formatCount(rows)} rows for ${domain.name}`)
      await queryClient.invalidateQueries({ queryKey: ['suppressions'] })
    } catch (reason) {
      setPhase({ kind: 'failed', message: describeError(reason) })
    }
  }

  return (
    <section aria-labelledby='import-heading' className='import'>
      <h2 id='import-heading'>Import a Mailgun complaints CSV</h2>
      <p>A file with the header <code>address,created_at</code>, at most 25 MB. All rows are stored, or none.</p>
      <form onSubmit={(event) => { void submit(event) }} className='stacked'>
        <Field label='Domain'>
          {(id) => <select id={id} name='domain'>{org.domains.map((domain) => <option key={domain.id} value={domain.id}>{domain.name}</option>)}</select>}
        </Field>
        <label>CSV file<input name='file' type='file' accept='.csv,text/csv' required /></label>
        <button type='submit' disabled={phase.kind === 'uploading' || phase.kind === 'processing'}>Import CSV</button>
      </form>
      {phase.kind === 'uploading' && (
        <p>
          <label htmlFor='upload-progress'>Upload progress</label>{' '}
          <progress id='upload-progress' max={phase.total} value={phase.loaded}>{Math.round((phase.loaded / phase.total) * 100)} %</progress>{' '}
          {(phase.loaded / 1e6).toFixed(1)} of {(phase.total / 1e6).toFixed(1)} MB
        </p>
      )}
      {phase.kind === 'processing' && <p><label htmlFor='upload-progress'>Upload progress</label> <progress id='upload-progress' max={1} value={1} /> Processing…</p>}
      {phase.kind === 'done' && <p className='success'>Imported {formatCount(phase.rows)} {phase.rows === 1 ? 'row' : 'rows'}. The domain now has {formatCount(phase.domainTotal)} suppressions.</p>}
      {phase.kind === 'failed' && <p role='alert' className='error-text'>Import failed: {phase.message}</p>}
    </section>
  )
}
