/**
 * The documentation stays inside the repository and its links resolve: every relative link
 * in README.md, CONTRIBUTING.md, docs/ and bench/README.md names a file that exists (and,
 * with `#anchor`, a heading in it), and none leaves the repository. README.md is for users
 * and stays short; the rest lives in docs/.
 */
import { strict as assert } from 'node:assert'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { test } from 'node:test'

const ROOT = resolve(import.meta.dirname, '..', '..')
const README_MAX_LINES = 300

function markdownFilesUnder (folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return markdownFilesUnder(path)
    return entry.name.endsWith('.md') ? [path] : []
  })
}

const DOCUMENTS = [
  join(ROOT, 'README.md'),
  join(ROOT, 'CONTRIBUTING.md'),
  join(ROOT, 'bench', 'README.md'),
  ...markdownFilesUnder(join(ROOT, 'docs'))
]

/** Markdown outside fenced code blocks, where `[x](y)` is a link rather than an example. */
function proseOf (markdown: string): string {
  let inFence = false
  return markdown.split('\n').filter((line) => {
    if (line.startsWith('```')) inFence = !inFence
    return !inFence
  }).join('\n').replace(/`[^`\n]*`/g, '')
}

/** Link targets of inline links and images: `[text](target)`, `![alt](target "title")`. */
function linkTargets (markdown: string): string[] {
  return [...proseOf(markdown).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1] as string)
}

/** The anchors GitHub gives a document's headings (lower case, punctuation dropped, spaces → '-'). */
function anchorsOf (markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const anchors = new Set<string>()
  for (const line of proseOf(markdown.replace(/`([^`\n]*)`/g, '$1')).split('\n')) {
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line)
    if (heading === null) continue
    const text = (heading[1] as string).replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    const slug = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-')
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    anchors.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return anchors
}

const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target)

test('README.md is for users: under 300 lines', () => {
  const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length
  assert.ok(lines < README_MAX_LINES, `README.md has ${lines} lines; move detail into docs/`)
})

test('the documents checked include README, CONTRIBUTING, bench and every file under docs/', () => {
  const names = DOCUMENTS.map((file) => relative(ROOT, file).split(sep).join('/'))
  for (const expected of ['README.md', 'CONTRIBUTING.md', 'bench/README.md', 'docs/ARCHITECTURE.md']) {
    assert.ok(names.includes(expected), `${expected} is checked`)
  }
})

for (const file of DOCUMENTS) {
  const name = relative(ROOT, file).split(sep).join('/')
  test(`${name}: every relative link resolves inside the repository`, () => {
    const markdown = readFileSync(file, 'utf8')
    const problems: string[] = []
    const targets = linkTargets(markdown).filter((target) => !isExternal(target))
    for (const target of targets) {
      const [pathPart = '', anchor] = target.split('#')
      const path = decodeURI(pathPart)
      const resolved = path === '' ? file : resolve(dirname(file), path)
      if (relative(ROOT, resolved).startsWith('..') || path.startsWith('/')) {
        problems.push(`${target}: outside the repository`)
        continue
      }
      if (!existsSync(resolved)) {
        problems.push(`${target}: no such file`)
        continue
      }
      if (anchor !== undefined && anchor !== '' && statSync(resolved).isFile() && resolved.endsWith('.md')) {
        if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) problems.push(`${target}: no heading with that anchor`)
      }
    }
    assert.deepEqual(problems, [])
  })

  test(`${name}: names no path outside the repository`, () => {
    const outside = readFileSync(file, 'utf8').split('\n')
      .map((line, index) => ({ line, number: index + 1 }))
      .filter(({ line }) => /\.\.\/shared\b/.test(line))
      .map(({ line, number }) => `line ${number}: ${line.trim()}`)
    assert.deepEqual(outside, [])
  })
}
