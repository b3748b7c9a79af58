import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, test } from 'node:test'

/**
 * No import cycles in src/: neither between files nor between domain modules. Shared vocabularies
 * live in src/domain.ts so that no module needs another's schemas or services for a term.
 * Type-only imports are left out: they are erased at compile time, and the App type
 * (src/http/types.ts) names every service the app is decorated with.
 */
const ROOT = resolve(import.meta.dirname, '..', '..')
const IMPORT = /^(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm

function sourceFiles (folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : []
  })
}

function importGraph (): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const targets = [...readFileSync(file, 'utf8').matchAll(IMPORT)]
      .filter((match) => !isTypeOnly(match[0]))
      .map((match) => relative(ROOT, resolve(dirname(file), (match[1] as string).replace(/\.js$/, '.ts'))))
    graph.set(relative(ROOT, file), targets)
  }
  return graph
}

/** `import type …` or `import { type A, type B } …`: erased at compile time, so no cycle at run time. */
function isTypeOnly (statement: string): boolean {
  if (/^(?:import|export)\s+type\s/.test(statement)) return true
  const names = /^(?:import|export)\s*\{([^}]*)\}\s*from/.exec(statement)?.[1]
  return names !== undefined && names.split(',').map((name) => name.trim()).filter((name) => name !== '').every((name) => name.startsWith('type '))
}

/** A domain module is a folder of src/modules or src/dialects; elsewhere (http, db, lib…) each file stands alone. */
function moduleOf (file: string): string {
  const parts = file.split('/')
  return parts[1] === 'modules' || parts[1] === 'dialects' ? parts.slice(0, 3).join('/') : file
}

/** Every cycle found by a depth-first walk, each as the path that closes it. */
function cycles (graph: Map<string, string[]>): string[] {
  const found: string[] = []
  const done = new Set<string>()
  const path: string[] = []
  const visit = (node: string): void => {
    path.push(node)
    for (const next of graph.get(node) ?? []) {
      if (path.includes(next)) found.push([...path.slice(path.indexOf(next)), next].join(' → '))
      else if (!done.has(next)) visit(next)
    }
    path.pop()
    done.add(node)
  }
  for (const node of graph.keys()) if (!done.has(node)) visit(node)
  return found
}

describe('import graph', () => {
  const files = importGraph()

  test('every relative import names a file of src/', () => {
    const missing = [...files].flatMap(([file, targets]) => targets.filter((target) => !files.has(target)).map((target) => `${file} → ${target}`))
    assert.deepEqual(missing, [])
  })

  test('no cycle between files', () => {
    assert.deepEqual(cycles(files), [])
  })

  test('no cycle between modules', () => {
    const modules = new Map<string, string[]>()
    for (const [file, targets] of files) {
      const from = moduleOf(file)
      const edges = modules.get(from) ?? []
      for (const target of targets) if (moduleOf(target) !== from && !edges.includes(moduleOf(target))) edges.push(moduleOf(target))
      modules.set(from, edges)
    }
    assert.ok(modules.size > 10, 'the walk found the modules')
    assert.deepEqual(cycles(modules), [])
  })
})
