import type { Container, PodTemplate } from '../../extract/pod-template.js'
import { asArray, asObject, asString, getIn } from '../../extract/json.js'
import type { JsonObject, JsonValue, ListItem, ObjectPath, PathSegment } from '../../model.js'
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

// Volumes

export interface Volume {
  name: string
  spec: JsonObject
  path: ObjectPath
}

export function volumesOf(pod: PodTemplate): Volume[] {
  return asArray(pod.spec.volumes).flatMap((item, index) => {
    const spec = asObject(item)
    if (!spec) return []
    const name = asString(spec.name) ?? `#${index + 1}`
    return [{ name, spec, path: [...pod.specPath, 'volumes', itemRef(item, index, 'name')] }]
  })
}
