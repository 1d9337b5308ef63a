import type { ParseOptions, DocumentOptions, SchemaOptions, ToJSOptions } from 'yaml'

/**
 * The YAML dialect the Kubernetes API machinery reads: YAML 1.1 scalars (`yes`, `on`, `0755`) and
 * merge keys, as go-yaml v2 resolves them into untyped values. Timestamps and sexagesimal numbers
 * stay strings there, so they do here; otherwise `ports: 22:22` would become 1342.
 */
export const KUBERNETES_YAML: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  merge: true,
  logLevel: 'silent',
  customTags: (tags) =>
    tags.filter(
      (tag) =>
        typeof tag === 'string' || (tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME'),
    ),
}

/** Aliases expanded per document before we call it an alias bomb. */
export const MAX_ALIAS_COUNT = 100

export const TO_JS: ToJSOptions = { maxAliasCount: MAX_ALIAS_COUNT }

/**
 * Collections nested in one another, per document, before the document is refused. Real manifests
 * stay far below (a CRD's schema reaches a few dozen); the bound keeps every recursive walker
 * (composing, toJS(), rules, comparing, JSON output) well inside the stack.
 */
export const MAX_NESTING = 100
