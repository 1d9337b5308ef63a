import type { Container, PodTemplate } from '../../extract/pod-template.js'
import { asArray, asObject, asString, getIn } from '../../extract/json.js'
import type { Edit, Fix, JsonObject, JsonValue, ListItem, ObjectPath, PathSegment } from '../../model.js'
import type { Violation } from '../rule.js'

/** Shared readers for the Pod Security Standards checks, mirroring how upstream PSA reads a pod. */

export function podSecurityContext(pod: PodTemplate): JsonObject | undefined {
  return asObject(pod.spec.securityContext)
}

export function containerSecurityContext(container: Container): JsonObject | undefined {
  return asObject(container.spec.securityContext)
}

/** Paths to the pod-level and a container's securityContext. */
export function podSecurityContextPath(pod: PodTemplate, ...rest: PathSegment[]): ObjectPath {
  return [...pod.specPath, 'securityContext', ...rest]
}

export function containerSecurityContextPath(container: Container, ...rest: PathSegment[]): ObjectPath {
  return [...container.path, 'securityContext', ...rest]
}

/** Pods with `spec.os.name: windows` are exempt from some restricted checks since policy 1.25. */
export function isWindowsPod(pod: PodTemplate): boolean {
  return asString(getIn(pod.spec, ['os', 'name'])) === 'windows'
}

/** `spec.hostUsers: false` runs the pod in a user namespace, which relaxes some checks since 1.35. */
export function usesUserNamespace(pod: PodTemplate): boolean {
  return pod.spec.hostUsers === false
}

/** Set in the Go sense: present and not null (`field: null` decodes to a nil pointer). */
export function isPresent(value: JsonValue | undefined): boolean {
  return value !== undefined && value !== null
}

/** One securityContext field as set at pod level or on one container; `value` is undefined when unset. */
export interface Setting {
  value: JsonValue | undefined
  /** the field's path, whether or not it exists */
  path: ObjectPath
  /** the container it belongs to; undefined at pod level */
  container?: Container
}

export function podSetting(pod: PodTemplate, ...keys: string[]): Setting {
  return { value: getIn(pod.spec.securityContext, keys), path: podSecurityContextPath(pod, ...keys) }
}

export function containerSetting(container: Container, ...keys: string[]): Setting {
  return {
    value: getIn(container.spec.securityContext, keys),
    path: containerSecurityContextPath(container, ...keys),
    container,
  }
}

/** The field at pod level, then on every container (init, regular, ephemeral). */
export function settingsOf(pod: PodTemplate, ...keys: string[]): Setting[] {
  return [podSetting(pod, ...keys), ...pod.containers.map((container) => containerSetting(container, ...keys))]
}

/** `pod` or `container`: the message-id prefix for a setting, so messages can say who set it. */
export function scopeOf(setting: Setting): 'pod' | 'container' {
  return setting.container ? 'container' : 'pod'
}

/**
 * A violation placed on a setting (or on a field below it). Container-level ones name the
 * container both as the finding's container and as `data.container` for the message.
 */
export function settingViolation(
  setting: Setting,
  messageId: string,
  data: Record<string, string | number> = {},
  ...deeper: PathSegment[]
): Violation {
  const path = [...setting.path, ...deeper]
  const container = setting.container?.name
  return container === undefined
    ? { messageId, data, path }
    : { messageId, data: { ...data, container }, path, container }
}

/** A list item named by its identifying field (`[name=x]`), or by index where it has none. */
export function itemRef(item: JsonValue | undefined, index: number, key: string): PathSegment {
  const value = getIn(item, [key])
  return typeof value === 'string' || typeof value === 'number' ? { index, key, value: String(value) } : index
}

/** A scalar list item named by its value (`add[SYS_ADMIN]`). */
export function valueRef(index: number, value: string): ListItem {
  return { index, key: null, value }
}

/** The string items of a scalar list with their refs; other types cannot decode and are passed over. */
export function stringItems(value: JsonValue | undefined): { value: string; ref: ListItem }[] {
  return asArray(value).flatMap((item, index) =>
    typeof item === 'string' ? [{ value: item, ref: valueRef(index, item) }] : [],
  )
}

// Capabilities

/** Capabilities baseline lets containers add (policy 1.0, unchanged through 1.37). Matching is exact. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
])

/** The only capability restricted lets containers add. */
export const RESTRICTED_CAPABILITY = 'NET_BIND_SERVICE'

/** A container's `capabilities.add` items, each with the path to the item. */
export function addedCapabilities(container: Container): { capability: string; path: ObjectPath }[] {
  return stringItems(getIn(container.spec.securityContext, ['capabilities', 'add'])).map(({ value, ref }) => ({
    capability: value,
    path: containerSecurityContextPath(container, 'capabilities', 'add', ref),
  }))
}

// Profiles (seccomp, AppArmor)

/** Profile types both `seccompProfile` and `appArmorProfile` allow; `Unconfined` and an empty type are not. */
const ALLOWED_PROFILE_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost'])

/** A profile block counts as set when it is an object, as upstream's non-nil pointer. */
export function isProfileSet(setting: Setting): boolean {
  return asObject(setting.value) !== undefined
}

/** Pod- and container-level profiles that are set with a type other than RuntimeDefault or Localhost. */
export function disallowedProfileTypes(
  pod: PodTemplate,
  field: 'seccompProfile' | 'appArmorProfile',
): { setting: Setting; type: string }[] {
  return settingsOf(pod, field).flatMap((setting) => {
    if (!isProfileSet(setting)) return []
    const type = asString(getIn(setting.value, ['type'])) ?? ''
    return ALLOWED_PROFILE_TYPES.has(type) ? [] : [{ setting, type }]
  })
}

// procMount

/** Containers whose `procMount` is set to anything but `Default`, which unmasks /proc. */
export function nonDefaultProcMounts(pod: PodTemplate): { setting: Setting; procMount: string }[] {
  return pod.containers.flatMap((container) => {
    const setting = containerSetting(container, 'procMount')
    const procMount = asString(setting.value)
    return procMount === undefined || procMount === 'Default' ? [] : [{ setting, procMount }]
  })
}

/** A non-default procMount, fixed by removing the field (the default masks /proc). */
export function procMountViolation({ setting, procMount }: { setting: Setting; procMount: string }): Violation {
  return { ...settingViolation(setting, 'procMount', { procMount }), fix: removeFix('Remove procMount.', setting.path) }
}

// Volumes

export interface Volume {
  name: string
  spec: JsonObject
  path: ObjectPath
}

/** Volume sources restricted allows: ephemeral or backed by objects the cluster admin controls. */
export const ALLOWED_VOLUME_SOURCES: ReadonlySet<string> = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
])

/** The source fields a volume sets (every present field but its name). */
export function volumeSources(volume: Volume): string[] {
  return Object.keys(volume.spec).filter((field) => field !== 'name' && isPresent(volume.spec[field]))
}

export function volumesOf(pod: PodTemplate): Volume[] {
  return asArray(pod.spec.volumes).flatMap((item, index) => {
    const spec = asObject(item)
    if (!spec) return []
    const name = asString(spec.name) ?? `#${index + 1}`
    return [{ name, spec, path: [...pod.specPath, 'volumes', itemRef(item, index, 'name')] }]
  })
}

// Fixes: structural edits the core renders in the file's style and verifies before offering

/**
 * A fix that deletes fields or list items: for review, since what it removes was set on purpose.
 * Opt-in flags (privileged, hostNetwork, hostPID, hostIPC, hostProcess) are deleted rather than set
 * to false: false is their default, the patch is one removed line, and hardened manifests do not
 * spell the default out. The same holds for procMount (Default) and a probe's host (the pod IP).
 */
export function removeFix(description: string, ...paths: ObjectPath[]): Fix {
  return { safety: 'review', description, edits: paths.map((path): Edit => ({ op: 'delete', path })) }
}

/** A fix that sets one field, creating the maps above it. */
export function setFix(safety: Fix['safety'], description: string, path: ObjectPath, value: JsonValue): Fix {
  return { safety, description, edits: [{ op: 'set', path, value }] }
}

/**
 * A disallowed profile type (seccomp or AppArmor) set to RuntimeDefault. `Unconfined` was chosen
 * deliberately, so lifting it is for review; an empty or unknown type is invalid anyway. A
 * `localhostProfile` goes too: the API accepts it only with type Localhost.
 */
export function runtimeDefaultProfileFix(
  setting: Setting,
  field: 'seccompProfile' | 'appArmorProfile',
  type: string,
): Fix {
  const edits: Edit[] = [{ op: 'set', path: [...setting.path, 'type'], value: 'RuntimeDefault' }]
  if (isPresent(getIn(setting.value, ['localhostProfile']))) {
    edits.push({ op: 'delete', path: [...setting.path, 'localhostProfile'] })
  }
  return { safety: type === 'Unconfined' ? 'review' : 'safe', description: `Set ${field}.type to RuntimeDefault.`, edits }
}

/**
 * `capabilities.drop: ["ALL"]` (or ALL appended to an existing drop list). Safe where the container
 * adds nothing back; with capabilities added, it keeps only those, which is for review.
 */
export function dropAllFix(container: Container): Fix {
  const drop = containerSetting(container, 'capabilities', 'drop')
  const adds = asArray(getIn(container.spec.securityContext, ['capabilities', 'add'])).length > 0
  const edit: Edit = Array.isArray(drop.value)
    ? { op: 'append', path: drop.path, value: 'ALL' }
    : { op: 'set', path: drop.path, value: ['ALL'] }
  return {
    safety: adds ? 'review' : 'safe',
    description: adds ? 'Drop ALL capabilities, keeping only the ones the container adds.' : 'Drop ALL capabilities.',
    edits: [edit],
  }
}

/**
 * Swaps a volume's disallowed sources (hostPath, nfs, a cloud disk, ...) for an emptyDir, or just
 * removes them where an allowed source remains. Deleting the volume would leave its volumeMounts
 * pointing at nothing, which the API rejects; an emptyDir keeps the pod valid. The old storage's
 * data is not touched, but the pod no longer sees it and its writes last only as long as the pod:
 * for review.
 */
export function emptyDirFix(volume: Volume): Fix {
  const sources = volumeSources(volume)
  const removed = sources.filter((source) => !ALLOWED_VOLUME_SOURCES.has(source))
  const kept = sources.length > removed.length
  const edits: Edit[] = removed.map((source) => ({ op: 'delete', path: [...volume.path, source] }))
  if (!kept) edits.push({ op: 'set', path: [...volume.path, 'emptyDir'], value: {} })
  const what = `the ${removed.join(' and ')} source of volume "${volume.name}"`
  return {
    safety: 'review',
    description: kept
      ? `Remove ${what}.`
      : `Replace ${what} with an emptyDir (empty when the pod starts, gone when it ends).`,
    edits,
  }
}

// Who the pod runs as

/** The runAsUser a container runs with: its own, else the pod's; undefined when the image decides. */
export function effectiveRunAsUser(pod: PodTemplate, container: Container): JsonValue | undefined {
  const own = getIn(container.spec.securityContext, ['runAsUser'])
  return isPresent(own) ? own : getIn(pod.spec.securityContext, ['runAsUser'])
}

// Windows HostProcess

/** Pod- and container-level `windowsOptions.hostProcess: true` settings. */
export function hostProcessSettings(pod: PodTemplate): Setting[] {
  return settingsOf(pod, 'windowsOptions', 'hostProcess').filter((setting) => setting.value === true)
}
