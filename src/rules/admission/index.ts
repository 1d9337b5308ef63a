import type { Rule } from '../rule.js'
import { admissionPolicyWeakened } from './admission-policy-weakened.js'
import { namespacePssWeakened } from './namespace-pss-weakened.js'
import { seccompAnnotationDeprecated } from './seccomp-annotation-deprecated.js'

export const ADMISSION_RULES: readonly Rule[] = [namespacePssWeakened, admissionPolicyWeakened, seccompAnnotationDeprecated]
