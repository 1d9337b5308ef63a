/**
 * GitHub's official REST description (@octokit/openapi, api.github.com.json) as a request
 * validator for the fake server: which path templates and methods exist, which query parameters
 * an operation knows, and whether a JSON body fits the operation's requestBody schema.
 *
 * Stricter than GitHub in one deliberate way: an object schema that lists its properties rejects
 * every other key even where the description does not say `additionalProperties: false` (GitHub
 * answers 422 "… is not a permitted key" for most of them, and an unknown key is always a bug).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

type Schema = Record<string, unknown>

export interface OpenApiOperation {
  method: string
  /** the path template as the description spells it: /repos/{owner}/{repo}/pulls/{pull_number} */
  template: string
  operationId: string
  parameters: Parameter[]
  /** the application/json requestBody schema, or null when the operation takes no JSON body */
  bodySchema: Schema | null
  bodyRequired: boolean
}

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required: boolean
  schema: Schema
}

export interface RouteMatch {
  operation: OpenApiOperation
  /** path parameters, percent-decoded */
  params: Record<string, string>
}

export type Lookup =
  | { kind: 'ok'; match: RouteMatch }
  | { kind: 'no-path' }
  | { kind: 'no-method'; methods: string[] }

interface Template {
  template: string
  regex: RegExp
  names: string[]
  /** literal characters: the more, the more specific */
  score: number
  methods: Map<string, OpenApiOperation>
}

const SPEC_FILE = join(dirname(createRequire(import.meta.url).resolve('@octokit/openapi/package.json')), 'generated', 'api.github.com.json')
/** parameters that may carry slashes when they close the path */
const GREEDY = new Set(['path', 'ref', 'basehead', 'head'])

export class OpenApi {
  readonly spec: Schema
  private readonly templates: Template[] = []

  constructor(spec: Schema) {
    this.spec = spec
    const paths = spec.paths as Record<string, Record<string, unknown>>
    for (const [template, item] of Object.entries(paths)) {
      const names: string[] = []
      let score = 0
      const parts = template.split(/(\{[^}]+\})/)
      let source = ''
      parts.forEach((part, index) => {
        const param = /^\{([^}]+)\}$/.exec(part)
        if (param) {
          const name = param[1] as string
          names.push(name)
          const last = index === parts.length - 1 || (index === parts.length - 2 && parts[parts.length - 1] === '')
          source += last && GREEDY.has(name) ? '(.+)' : '([^/]+?)'
        } else {
          score += part.length
          source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        }
      })
      const methods = new Map<string, OpenApiOperation>()
      const shared = (item.parameters as Schema[] | undefined) ?? []
      for (const [method, raw] of Object.entries(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete', 'head'].includes(method)) continue
        const op = raw as Schema
        const parameters = [...shared, ...((op.parameters as Schema[] | undefined) ?? [])].map((p) => this.deref(p) as unknown as Parameter)
        const requestBody = op.requestBody ? (this.deref(op.requestBody as Schema) as Schema) : null
        const content = requestBody?.content as Record<string, { schema?: Schema }> | undefined
        methods.set(method.toUpperCase(), {
          method: method.toUpperCase(),
          template,
          operationId: String(op.operationId),
          parameters,
          bodySchema: content?.['application/json']?.schema ?? null,
          bodyRequired: requestBody?.required === true,
        })
      }
      this.templates.push({ template, regex: new RegExp(`^${source}$`), names, score, methods })
    }
    this.templates.sort((a, b) => b.score - a.score)
  }

  /** Finds the operation for a method and a path (without the API prefix, without the query). */
  lookup(method: string, path: string): Lookup {
    let pathSeen: string[] | null = null
    for (const t of this.templates) {
      const m = t.regex.exec(path)
      if (!m) continue
      const params: Record<string, string> = {}
      let valid = true
      t.names.forEach((name, i) => {
        const raw = m[i + 1] ?? ''
        try {
          params[name] = decodeURIComponent(raw)
        } catch {
          valid = false
        }
      })
      if (!valid) continue
      const operation = t.methods.get(method.toUpperCase())
      if (operation) return { kind: 'ok', match: { operation, params } }
      pathSeen ??= [...t.methods.keys()]
    }
    return pathSeen ? { kind: 'no-method', methods: pathSeen } : { kind: 'no-path' }
  }

  /** Problems with the query string and path parameters of a matched request ([] when fine). */
  checkParameters(match: RouteMatch, query: URLSearchParams): string[] {
    const problems: string[] = []
    const known = new Map(match.operation.parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]))
    for (const name of new Set(query.keys())) {
      const param = known.get(name)
      if (!param) {
        problems.push(`query parameter "${name}" is not a parameter of ${match.operation.method} ${match.operation.template}`)
        continue
      }
      for (const value of query.getAll(name)) problems.push(...this.checkScalar(param.schema, value, `query.${name}`))
    }
    for (const param of known.values()) {
      if (param.required && !query.has(param.name)) problems.push(`query parameter "${param.name}" is required`)
    }
    for (const param of match.operation.parameters.filter((p) => p.in === 'path')) {
      const value = match.params[param.name]
      if (value === undefined || value === '') problems.push(`path parameter "${param.name}" is missing`)
      else problems.push(...this.checkScalar(param.schema, value, `path.${param.name}`))
    }
    return problems
  }

  /** Problems with a JSON body (already parsed) for a matched request ([] when fine). */
  checkBody(match: RouteMatch, body: unknown, present: boolean): string[] {
    const schema = match.operation.bodySchema
    if (!schema) {
      if (present && body !== undefined && !(typeof body === 'object' && body !== null && Object.keys(body).length === 0)) {
        return [`${match.operation.method} ${match.operation.template} takes no request body`]
      }
      return []
    }
    if (!present) return match.operation.bodyRequired ? ['a request body is required'] : []
    const errors: string[] = []
    this.validate(schema, body, 'body', errors)
    return errors
  }

  private checkScalar(raw: Schema, value: string, where: string): string[] {
    const schema = this.deref(raw)
    const type = schema.type
    if (type === 'integer' && !/^-?\d+$/.test(value)) return [`${where}: "${value}" is not an integer`]
    if (type === 'number' && Number.isNaN(Number(value))) return [`${where}: "${value}" is not a number`]
    if (type === 'boolean' && value !== 'true' && value !== 'false') return [`${where}: "${value}" is not a boolean`]
    if (Array.isArray(schema.enum) && !schema.enum.map(String).includes(value)) {
      return [`${where}: "${value}" is not one of ${JSON.stringify(schema.enum)}`]
    }
    return []
  }

  /** Resolves local `$ref`s (`#/components/...`), repeatedly. */
  deref(schema: Schema): Schema {
    let current = schema
    for (let depth = 0; typeof current.$ref === 'string'; depth++) {
      if (depth > 32) throw new Error(`$ref loop at ${String(current.$ref)}`)
      const ref = current.$ref as string
      if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`)
      let node: unknown = this.spec
      for (const part of ref.slice(2).split('/')) {
        node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')]
        if (node === undefined) throw new Error(`unresolved $ref ${ref}`)
      }
      current = node as Schema
    }
    return current
  }

  /** Validates `value` against `raw`, pushing readable errors onto `errors`. */
  validate(raw: Schema, value: unknown, where: string, errors: string[]): void {
    const schema = this.flatten(this.deref(raw))
    if (value === null) {
      if (schema.nullable === true || schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))) return
      if (Array.isArray(schema.enum) && schema.enum.includes(null)) return
    }
    const alternatives = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined
    if (alternatives) {
      const outcomes = alternatives.map((alternative) => {
        const sub: string[] = []
        this.validate(alternative, value, where, sub)
        return sub
      })
      if (!outcomes.some((o) => o.length === 0)) {
        const closest = outcomes.reduce((a, b) => (b.length < a.length ? b : a))
        errors.push(`${where}: no subschema in "${schema.oneOf ? 'oneOf' : 'anyOf'}" matched (closest: ${closest.join('; ')})`)
      }
      // Properties next to oneOf (rare) are checked below as well.
      if (!schema.properties && !schema.type) return
    }
    const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined)
    const types = Array.isArray(type) ? (type as string[]) : type ? [type as string] : []
    if (types.length > 0 && !types.some((t) => matchesType(t, value))) {
      errors.push(`${where}: ${JSON.stringify(value)?.slice(0, 80)} is not of type ${types.join('|')}`)
      return
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) {
      errors.push(`${where}: ${JSON.stringify(value)?.slice(0, 80)} is not one of ${JSON.stringify(schema.enum)}`)
    }
    if (typeof value === 'string') {
      const length = [...value].length
      if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
        errors.push(`${where}: is ${length} characters long, more than maxLength ${schema.maxLength}`)
      }
      if (typeof schema.minLength === 'number' && length < schema.minLength) {
        errors.push(`${where}: is ${length} characters long, less than minLength ${schema.minLength}`)
      }
      if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) errors.push(`${where}: "${value}" is not a date-time`)
    }
    if (typeof value === 'number') {
      if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${where}: ${value} < minimum ${schema.minimum}`)
      if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${where}: ${value} > maximum ${schema.maximum}`)
    }
    if (Array.isArray(value)) {
      if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
        errors.push(`${where}: has ${value.length} items, more than maxItems ${schema.maxItems}`)
      }
      if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
        errors.push(`${where}: has ${value.length} items, fewer than minItems ${schema.minItems}`)
      }
      if (schema.items) value.forEach((item, i) => this.validate(schema.items as Schema, item, `${where}[${i}]`, errors))
    }
    if (isPlainObject(value)) {
      const properties = (schema.properties ?? {}) as Record<string, Schema>
      const required = (schema.required ?? []) as string[]
      for (const key of required) {
        if (value[key] === undefined) errors.push(`${where}: "${key}" is required`)
      }
      const additional = schema.additionalProperties
      const freeForm = !schema.properties && additional === undefined
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined) continue
        if (key in properties) this.validate(properties[key] as Schema, item, `${where}.${key}`, errors)
        else if (additional && typeof additional === 'object') this.validate(additional as Schema, item, `${where}.${key}`, errors)
        else if (additional === true || freeForm || required.includes(key)) continue
        else errors.push(`${where}: "${key}" is not a permitted key`)
      }
    }
  }

  /** Merges allOf into one schema (properties and required united), so strict keys still work. */
  private flatten(schema: Schema): Schema {
    if (!Array.isArray(schema.allOf)) return schema
    const merged: Schema = { ...schema }
    delete merged.allOf
    const properties: Record<string, Schema> = { ...((schema.properties as Record<string, Schema>) ?? {}) }
    const required = new Set<string>((schema.required as string[]) ?? [])
    for (const part of schema.allOf as Schema[]) {
      const sub = this.flatten(this.deref(part))
      Object.assign(properties, (sub.properties as Record<string, Schema>) ?? {})
      for (const r of (sub.required as string[]) ?? []) required.add(r)
      for (const key of ['type', 'nullable', 'additionalProperties', 'enum', 'items', 'oneOf', 'anyOf']) {
        if (sub[key] !== undefined && merged[key] === undefined) merged[key] = sub[key]
      }
    }
    merged.properties = properties
    merged.required = [...required]
    return merged
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function matchesType(type: string, value: unknown): boolean {
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'string':
      return typeof value === 'string'
    case 'boolean':
      return typeof value === 'boolean'
    case 'array':
      return Array.isArray(value)
    case 'object':
      return isPlainObject(value)
    case 'null':
      return value === null
    default:
      return true
  }
}

let cached: OpenApi | undefined

/** The description, parsed once per test worker (13 MB of JSON). */
export function openApi(): OpenApi {
  cached ??= new OpenApi(JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Schema)
  return cached
}
