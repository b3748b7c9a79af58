import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { promisify } from 'node:util'

const ROOT = join(import.meta.dirname, '..', '..')
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
const run = promisify(execFile)

/** The environment without the variables `npm test` sets for its script (they would point npm at this repository). */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)))

const PROGRAM = `import { createOmbudsClient, OmbudsError, type Schemas } from '@ombuds/client'

export async function newComplaints (baseUrl: string, apiKey: string): Promise<Array<Schemas['Complaint']>> {
  const client = createOmbudsClient({ baseUrl, apiKey })
  const complaints: Array<Schemas['Complaint']> = []
  for await (const complaint of client.paginate('listComplaints', { status: 'new' })) complaints.push(complaint)
  try {
    const { data } = await client.PATCH('/v1/complaints/{id}', { params: { path: { id: complaints[0]?.id ?? '' } }, body: { status: 'triage' } })
    const status: 'new' | 'triage' | 'resolved' = data.data.status
    console.log(status)
  } catch (error) {
    if (error instanceof OmbudsError) console.log(error.code, error.status, error.requestId, error.details)
  }
  // @ts-expect-error not a status of the API
  client.paginate('listComplaints', { status: 'closed' })
  // @ts-expect-error the path parameter is required
  await client.GET('/v1/complaints/{id}')
  return complaints
}
`

// Packs @ombuds/client as npm would publish it, installs the tarball into an empty folder
// (its dependencies from npm's cache, filled by the repository's own install) and
// typechecks a small program against it.
describe('the packed @ombuds/client', () => {
  const folder = mkdtempSync(join(tmpdir(), 'ombuds-client-pack-'))
  after(() => { rmSync(folder, { recursive: true, force: true }) })

  test('installs into an empty folder, loads, and a TypeScript program using it typechecks', async () => {
    const { stdout } = await run('npm', ['pack', '--workspace', '@ombuds/client', '--pack-destination', folder, '--ignore-scripts', '--json'], { cwd: ROOT, env: cleanEnv })
    const tarball = join(folder, (JSON.parse(stdout) as Array<{ filename: string }>)[0]?.filename ?? '')
    const app = join(folder, 'app')
    mkdirSync(app)
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'uses-ombuds', private: true, type: 'module' }))
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-update-notifier', tarball], { cwd: app, env: cleanEnv })

    const installed = join(app, 'node_modules', '@ombuds', 'client')
    const files = readdirSync(join(installed, 'dist'), { recursive: true }).map(String)
    assert.ok(files.includes('index.js') && files.includes('index.d.ts'), files.join(', '))
    // Browsers too: nothing in the build imports a Node module.
    for (const file of files.filter((name) => name.endsWith('.js'))) {
      assert.doesNotMatch(readFileSync(join(installed, 'dist', file), 'utf8'), /from ['"]node:/, file)
    }
    const loaded = await run(process.execPath, ['--input-type=module', '-e', "const c = await import('@ombuds/client'); console.log(typeof c.createOmbudsClient, typeof c.OmbudsError)"], { cwd: app, env: cleanEnv })
    assert.equal(loaded.stdout.trim(), 'function function')

    writeFileSync(join(app, 'index.ts'), PROGRAM)
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: [], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true },
      include: ['index.ts']
    }))
    const checked = await run(process.execPath, [TSC, '-p', app], { cwd: app, env: cleanEnv }).then(() => ({ code: 0, out: '' }), (error: { code: number, stdout: string }) => ({ code: error.code, out: error.stdout }))
    assert.equal(checked.code, 0, checked.out)
  })
})
