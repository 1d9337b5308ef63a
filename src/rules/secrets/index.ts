import type { Rule } from '../rule.js'
import { secretInManifest } from './secret-in-manifest.js'
import { secretPattern } from './secret-pattern.js'

export const SECRETS_RULES: readonly Rule[] = [secretInManifest, secretPattern]
