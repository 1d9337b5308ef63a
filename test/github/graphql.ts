/**
 * The GraphQL side of the fake GitHub: GitHub's published schema (@octokit/graphql-schema) validates
 * every query, and a few resolvers answer the part the action uses: a pull request's review
 * threads with their comments, `node(s)`, `viewer`, `rateLimit`, and the mutations
 * resolveReviewThread, unresolveReviewThread, minimizeComment and updatePullRequestReviewComment.
 * Everything else resolves to null (with an error where the schema says non-null), which a test
 * sees as a recorded problem.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { buildSchema, execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql'

let schema: GraphQLSchema | undefined

/** GitHub's GraphQL schema, built once per worker (about 1.5 s). */
export function githubSchema(): GraphQLSchema {
  if (!schema) {
    // The package exports only its ESM entry; the schema file sits beside it.
    const file = join(dirname(createRequire(import.meta.url).resolve('graphql')), '..', '@octokit', 'graphql-schema', 'schema.graphql')
    schema = buildSchema(readFileSync(file, 'utf8'), { assumeValidSDL: true })
  }
  return schema
}

export interface GraphqlOutcome {
  status: number
  body: { data?: unknown; errors?: unknown[] }
  /** the request did not validate against GitHub's schema */
  invalid: string[]
  /** what the operation was: query or mutation, with the root fields */
  operation: { type: 'query' | 'mutation' | 'subscription'; fields: string[] } | null
}

/** Parses, validates and executes one GraphQL request against `root`. */
export async function runGraphql(
  request: { query?: unknown; variables?: unknown; operationName?: unknown },
  root: Record<string, unknown>,
): Promise<GraphqlOutcome> {
  if (typeof request.query !== 'string') {
    return { status: 400, body: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] }, invalid: ['no query'], operation: null }
  }
  let document: DocumentNode
  try {
    document = parse(request.query)
  } catch (error) {
    const message = (error as Error).message
    return { status: 200, body: { errors: [{ message }] }, invalid: [`parse: ${message}`], operation: null }
  }
  const definition = document.definitions.find(
    (d) => d.kind === 'OperationDefinition' && (typeof request.operationName !== 'string' || d.name?.value === request.operationName),
  )
  const operation =
    definition && definition.kind === 'OperationDefinition'
      ? {
          type: definition.operation,
          fields: definition.selectionSet.selections.map((s) => (s.kind === 'Field' ? s.name.value : `...${s.kind}`)),
        }
      : null
  const problems = validate(githubSchema(), document)
  if (problems.length > 0) {
    return {
      status: 200,
      body: { errors: problems.map((p) => ({ message: p.message, locations: p.locations })) },
      invalid: problems.map((p) => p.message),
      operation,
    }
  }
  const result = await execute({
    schema: githubSchema(),
    document,
    rootValue: root,
    variableValues: (request.variables ?? {}) as Record<string, unknown>,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
  })
  const body: GraphqlOutcome['body'] = {}
  if (result.data !== undefined) body.data = result.data
  if (result.errors) {
    body.errors = result.errors.map((e) => ({
      ...(e.extensions?.type ? { type: e.extensions.type } : {}),
      path: e.path,
      locations: e.locations,
      message: e.message,
    }))
  }
  const invalid = (result.errors ?? []).filter((e) => e.extensions?.type === undefined).map((e) => `execution: ${e.message} at ${e.path?.join('.')}`)
  return { status: 200, body, invalid, operation }
}

/** An error GitHub would return with a `type` (NOT_FOUND, FORBIDDEN, …): not a problem of the request. */
export function githubError(type: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type } })
}

export interface ConnectionArgs {
  first?: number | null
  last?: number | null
  after?: string | null
  before?: string | null
}

/** A Relay connection over `items` with GitHub's rules: `first` or `last` is required, at most 100. */
export function connection<T>(items: readonly T[], args: ConnectionArgs, name: string): unknown {
  if (args.first == null && args.last == null) {
    throw new GraphQLError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`)
  }
  const limit = (args.first ?? args.last) as number
  if (limit > 100) {
    throw new GraphQLError(
      `Requesting ${limit} records on the \`${name}\` connection exceeds the \`${args.first != null ? 'first' : 'last'}\` limit of 100 records.`,
    )
  }
  let start = 0
  let end = items.length
  if (args.after) start = decodeCursor(args.after) + 1
  if (args.before) end = Math.min(end, decodeCursor(args.before))
  if (args.first != null) end = Math.min(end, start + args.first)
  else if (args.last != null) start = Math.max(start, end - args.last)
  const slice = items.slice(start, end)
  const edges = slice.map((node, i) => ({ cursor: encodeCursor(start + i), node }))
  return {
    totalCount: items.length,
    nodes: slice,
    edges,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  }
}

function encodeCursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString('base64')
}

function decodeCursor(cursor: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))
  if (!m) throw new GraphQLError(`\`${cursor}\` does not appear to be a valid cursor.`)
  return Number(m[1])
}
