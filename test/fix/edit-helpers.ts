import { parseManifestFile, type ParsedYaml } from '../../src/load/parse.js'
import type { Edit, ObjectPath } from '../../src/model.js'
import { applyEdit } from '../../src/render/fix/text-edit.js'

/** Parses manifest text as the tool reads a file; parse errors fail the caller. */
export function parsed(text: string, file = 'manifest.yaml'): ParsedYaml {
  const outcome = parseManifestFile(file, Buffer.from(text, 'utf8'))
  if (outcome.kind !== 'parsed') throw new Error(`skipped: ${outcome.reason}`)
  return outcome.yaml
}

export function parseErrors(yaml: ParsedYaml): string[] {
  return yaml.documents.flatMap((doc) => doc.errors.map((e) => e.message))
}

/** Applies edits one after another, re-parsing in between, as the fix engine does. */
export function applyEdits(
  text: string,
  edits: readonly Edit[],
  where: { documentIndex?: number; documentPath?: ObjectPath; file?: string } = {},
): { ok: true; text: string } | { ok: false; reason: string } {
  let yaml = parsed(text, where.file)
  for (const edit of edits) {
    const result = applyEdit(yaml, where.documentIndex ?? 0, where.documentPath ?? [], edit)
    if (!result.ok) return result
    yaml = parsed(result.text, where.file)
    const errors = parseErrors(yaml)
    if (errors.length > 0) return { ok: false, reason: `the edited text does not parse: ${errors.join('; ')}` }
  }
  return { ok: true, text: yaml.text }
}
