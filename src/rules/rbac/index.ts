import type { Rule } from '../rule.js'
import { rbacClusterAdminBinding } from './rbac-cluster-admin-binding.js'
import { rbacPrivilegeEscalation } from './rbac-privilege-escalation.js'
import { rbacSecretsAccess } from './rbac-secrets-access.js'
import { rbacWildcard } from './rbac-wildcard.js'

export const RBAC_RULES: readonly Rule[] = [rbacWildcard, rbacSecretsAccess, rbacPrivilegeEscalation, rbacClusterAdminBinding]
