import type { Rule } from '../rule.js'
import { imageDigestUnpinned } from './image-digest-unpinned.js'
import { imageTagMutable } from './image-tag-mutable.js'
import { readonlyRootfsMissing } from './readonly-rootfs-missing.js'
import { resourceLimitsMissing } from './resource-limits-missing.js'
import { runtimeClassRemoved } from './runtime-class-removed.js'
import { secretEnvLiteral } from './secret-env-literal.js'
import { serviceAccountTokenAutomount } from './service-account-token-automount.js'

/** Workload rules beyond the Pod Security Standards, most severe first. */
export const WORKLOAD_RULES: readonly Rule[] = [
  secretEnvLiteral,
  runtimeClassRemoved,
  imageTagMutable,
  resourceLimitsMissing,
  readonlyRootfsMissing,
  serviceAccountTokenAutomount,
  imageDigestUnpinned,
]
