import { PSS_LEVELS, SEVERITIES } from '../model.js'

const level = { enum: [...PSS_LEVELS] }
const stringList = { type: 'array', items: { type: 'string', minLength: 1 } }
/** Helm release names and namespaces: lowercase DNS labels */
const dnsLabel = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'

/** JSON Schema of `.github/kube-ratchet.yml`. Unknown keys are errors: a typo must not silently disable a gate. */
export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    include: stringList,
    exclude: stringList,
    failOn: { enum: [...SEVERITIES, 'none'] },
    mode: { enum: ['regressions', 'all'] },
    level,
    namespaces: {
      type: 'object',
      additionalProperties: { type: 'object', additionalProperties: false, properties: { level } },
    },
    rules: { type: 'object', additionalProperties: { enum: ['off', ...SEVERITIES] } },
    podTemplates: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['apiVersion', 'kind', 'path'],
        properties: {
          apiVersion: { type: 'string', minLength: 1 },
          kind: { type: 'string', minLength: 1 },
          path: { type: 'string', pattern: '^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$' },
        },
      },
    },
    ignore: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['reason'],
        properties: {
          rules: stringList,
          kind: { type: 'string' },
          namespace: { type: 'string' },
          name: { type: 'string' },
          container: { type: 'string' },
          reason: { type: 'string' },
          expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        },
      },
    },
    compat: { type: 'array', items: { enum: ['kube-linter', 'checkov', 'polaris'] } },
    sandboxRuntimeClasses: stringList,
    helm: {
      type: 'object',
      additionalProperties: false,
      properties: {
        charts: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path'],
            properties: {
              path: { type: 'string', minLength: 1 },
              values: stringList,
              namespace: { type: 'string', pattern: dnsLabel, maxLength: 63 },
              releaseName: { type: 'string', pattern: dnsLabel, maxLength: 53 },
            },
          },
        },
      },
    },
    render: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean' },
        timeoutSeconds: { type: 'integer', minimum: 1, maximum: 3600 },
      },
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxFileBytes: { type: 'integer', minimum: 1 },
        maxTotalBytes: { type: 'integer', minimum: 1 },
      },
    },
  },
} as const
