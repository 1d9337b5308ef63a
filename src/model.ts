/**
 * Plain data passed between the pipeline stages: load → extract → evaluate → compare → render → report.
 * Nothing here holds behaviour beyond tiny pure helpers; every stage can be tested with literals.
 */

export type Revision = 'base' | 'head'

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const
export type Severity = (typeof SEVERITIES)[number]

/** Higher number = more severe; `none` (for --fail-on) ranks above everything so nothing fails. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity)
}

export const PSS_LEVELS = ['privileged', 'baseline', 'restricted'] as const
export type PssLevel = (typeof PSS_LEVELS)[number]

/** Upstream Pod Security Admission check IDs (policy version 1.37). */
export const PSS_CHECK_IDS = [
  'privileged',
  'hostNamespaces',
  'hostPorts',
  'hostPathVolumes',
  'capabilities_baseline',
  'appArmorProfile',
  'seLinuxOptions',
  'procMount',
  'seccompProfile_baseline',
  'sysctls',
  'windowsHostProcess',
  'hostProbesAndHostLifecycle',
  'allowPrivilegeEscalation',
  'capabilities_restricted',
  'restrictedVolumes',
  'runAsNonRoot',
  'runAsUser',
  'seccompProfile_restricted',
  'procMount_restricted',
] as const
export type PssCheckId = (typeof PSS_CHECK_IDS)[number]

/**
 * One step into a Kubernetes object. A string is a map key. A number is a list index, used only
 * where list items have no identity of their own. A `ListItem` names an item by a stable key
 * (`containers[name=app]`) or, for scalar lists, by its value (`add[SYS_ADMIN]`), while keeping
 * the index so the YAML node can still be found.
 */
export type PathSegment = string | number | ListItem
export interface ListItem {
  index: number
  /** the field that identifies the item (`name`), or null when the item is a scalar identified by its value */
  key: string | null
  value: string
}
export type ObjectPath = readonly PathSegment[]

/** API group + kind + namespace + name: what Kubernetes itself treats as the same object. */
export interface ObjectIdentity {
  group: string
  kind: string
  /** `default` where a namespaced object names none; null for cluster-scoped kinds */
  namespace: string | null
  name: string
}

/** The resource as the JSON report shows it. */
export interface ResourceRef {
  apiVersion: string
  kind: string
  namespace: string | null
  name: string
}

/** A 1-based, inclusive line span in one file. */
export interface LineSpan {
  line: number
  endLine: number
}

/**
 * A Kubernetes object found in a file at one revision. Never changed once read (a fix makes a new
 * one), which lets later stages remember what they derived from it.
 */
export interface Resource {
  readonly identity: ObjectIdentity
  apiVersion: string
  /** repository-relative path */
  file: string
  /** index of the YAML document in the file (0-based) */
  documentIndex: number
  /** where the object sits inside its document: [] normally, ['items', 3] inside a List */
  documentPath: ObjectPath
  /** the object as plain JSON (anchors, aliases and merge keys resolved) */
  readonly object: JsonObject
  /** 1-based line of the object's first line */
  line: number
}

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject
export interface JsonObject {
  [key: string]: JsonValue | undefined
}

/** Input that could not be read or parsed. */
export interface InputError {
  revision: Revision
  file: string
  line: number | null
  message: string
}

/** A file deliberately not evaluated, with the reason. */
export interface SkippedFile {
  revision: Revision
  file: string
  reason: string
}

/**
 * A structural edit of one object, paths from the object's root. The core applies edits to the
 * YAML document in the file's own style; rules never produce text.
 */
export type Edit =
  /** set a value, creating missing parent maps */
  | { op: 'set'; path: ObjectPath; value: JsonValue }
  /** delete a map key, or a list item (the path's last segment names the item) */
  | { op: 'delete'; path: ObjectPath }
  /** add an item to a list, creating the list if missing */
  | { op: 'append'; path: ObjectPath; value: JsonValue }

export interface Fix {
  /** `safe`: hardening a workload almost never notices; `review`: may change behaviour */
  safety: 'safe' | 'review'
  /** what the fix does, in a short imperative sentence */
  description: string
  edits: Edit[]
}

export type FindingStatus = 'new' | 'fixed' | 'unchanged'

/** A rule violation placed in a file: what evaluate produces for one revision. */
export interface Finding {
  ruleId: string
  pssCheck: PssCheckId | null
  severity: Severity
  title: string
  message: string
  resource: ResourceRef
  identity: ObjectIdentity
  container: string | null
  file: string
  line: number
  endLine: number
  /** display path, containers by name: spec.template.spec.containers[name=app].securityContext.privileged */
  path: string
  /** stable across moves, renames, reordering and reformatting */
  fingerprint: string
  /** where the object sits in its file, so a fix can find it again */
  documentIndex: number
  documentPath: ObjectPath
  /** the structural fix the rule proposed, before it is rendered and verified */
  proposedFix: Fix | null
  /** set when an annotation or configuration entry silences the finding */
  suppressedBy?: Suppression
  /** the proposed fix, rendered and verified while its file was parsed (see render/fix) */
  rendered?: FixOutcome
}

/** A proposed fix after rendering: the verified patch, or why none is offered. */
export type FixOutcome = { fix: RenderedFix; note: null } | { fix: null; note: string }

/** Why a finding is silenced: what says so, where, and the reason given. */
export interface Suppression {
  source: 'annotation' | 'config' | 'kube-linter' | 'checkov' | 'polaris'
  reason: string
  file: string
  line: number
}

/** A problem with configuration or suppressions: reported, never fatal. */
export interface Warning {
  file: string
  line: number | null
  message: string
}

export interface ComparedFinding extends Finding {
  status: FindingStatus
}

/** A finding as reports show it: with its verified patch, where there is one. */
export interface ReportedFinding extends ComparedFinding {
  /** the verified patch, for new findings whose rule proposed one that passed verification */
  fix: RenderedFix | null
  /** why a proposed fix is not offered (it edits an alias, or failed verification) */
  fixNote: string | null
}

/** Replace lines startLine..endLine (1-based, inclusive) with `text` (the file's line endings; '' for no line). */
export interface LineReplacement {
  startLine: number
  endLine: number
  text: string
}

/** A fix rendered as text and verified: it parses, removes its finding and adds none. */
export interface RenderedFix {
  description: string
  safety: Fix['safety']
  replacements: LineReplacement[]
  /** the same change as a unified diff of the file */
  patch: string
}

/** The PSS level a changed workload satisfies at base and at head (null where it does not exist). */
export interface Posture {
  resource: ResourceRef
  file: string
  base: PssLevel | null
  head: PssLevel | null
}

export interface RevisionInfo {
  /** git ref or sha, a directory, or null for nothing */
  ref: string | null
  sha: string | null
}

/** Everything one run found: the input of every renderer. */
export interface Report {
  base: RevisionInfo
  head: RevisionInfo
  /** findings that count: neither suppressed nor filtered out by configuration */
  findings: ReportedFinding[]
  /** findings silenced by an annotation or the configuration: listed, never counted */
  suppressed: ReportedFinding[]
  postures: Posture[]
  warnings: Warning[]
  /** what the pull request changed in the configuration that weakens the gate */
  configChanges: string[]
  errors: InputError[]
  skipped: SkippedFile[]
  /** manifest files read, both revisions together */
  files: number
  /** Kubernetes objects evaluated at head */
  resources: number
  failOn: Severity | 'none'
  /** `regressions`: only new findings fail; `all`: unchanged ones too */
  mode: 'regressions' | 'all'
}
