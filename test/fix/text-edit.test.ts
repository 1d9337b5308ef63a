import { describe, expect, it } from 'vitest'
import type { Edit, JsonValue, ObjectPath } from '../../src/model.js'
import { applyEdits } from './edit-helpers.js'

/**
 * Golden tests of the edit engine: a structural edit applied to a file must give exactly the
 * expected text. Most cases are written as one change to a base file (`from` → `to`, each `from`
 * occurring once), so the expected output is the whole base file with that change and nothing else.
 */

interface Golden {
  name: string
  edits: Edit[]
  from: string
  to: string
}

interface Where {
  documentIndex?: number
  documentPath?: ObjectPath
  file?: string
}

function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from)
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`"${from}" must occur exactly once in the base file`)
  return text.slice(0, at) + to + text.slice(at + from.length)
}

function edited(text: string, edits: readonly Edit[], where: Where = {}): string {
  const result = applyEdits(text, edits, where)
  if (!result.ok) throw new Error(`refused: ${result.reason}`)
  return result.text
}

function goldens(base: string, cases: readonly Golden[], where: Where = {}): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(edited(base, c.edits, where)).toBe(replaceOnce(base, c.from, c.to))
  })
}

const set = (path: ObjectPath, value: JsonValue): Edit => ({ op: 'set', path, value })
const del = (path: ObjectPath): Edit => ({ op: 'delete', path })
const append = (path: ObjectPath, value: string): Edit => ({ op: 'append', path, value })

const APP = ['spec', 'containers', 0] as const
const SIDECAR = ['spec', 'containers', 1] as const
const SC = [...APP, 'securityContext'] as const
const CAPS = [...SC, 'capabilities'] as const

// The same pod in three styles: 2-space with indented sequences, 4-space, and flush sequences.

const TWO_SPACE = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx
      securityContext:
        runAsUser: 0
        capabilities:
          add: [NET_ADMIN, SYS_TIME]
          drop:
            - NET_RAW
            - MKNOD
            - SETPCAP
    - name: sidecar
      image: busybox
  volumes:
    - name: data
      hostPath:
        path: /var/data
`

const TWO_SPACE_CASES: Golden[] = [
  { name: 'change a scalar', edits: [set([...SC, 'runAsUser'], 1000)], from: 'runAsUser: 0', to: 'runAsUser: 1000' },
  {
    name: 'insert a key into an existing map (after its last entry)',
    edits: [set([...SC, 'allowPrivilegeEscalation'], false)],
    from: '            - SETPCAP\n',
    to: '            - SETPCAP\n        allowPrivilegeEscalation: false\n',
  },
  {
    name: 'create nested maps: securityContext → capabilities → drop: ["ALL"]',
    edits: [set([...SIDECAR, 'securityContext', 'capabilities', 'drop'], ['ALL'])],
    from: '      image: busybox\n',
    to: '      image: busybox\n      securityContext:\n        capabilities:\n          drop: ["ALL"]\n',
  },
  {
    name: 'create a missing list by appending to it',
    edits: [append([...SIDECAR, 'securityContext', 'capabilities', 'drop'], 'ALL')],
    from: '      image: busybox\n',
    to: '      image: busybox\n      securityContext:\n        capabilities:\n          drop: ["ALL"]\n',
  },
  {
    name: 'create nested maps at the end of the pod spec',
    edits: [set(['spec', 'securityContext', 'seccompProfile'], { type: 'RuntimeDefault' })],
    from: '        path: /var/data\n',
    to: '        path: /var/data\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n',
  },
  {
    name: 'add to a block sequence',
    edits: [append([...CAPS, 'drop'], 'ALL')],
    from: '            - SETPCAP\n',
    to: '            - SETPCAP\n            - ALL\n',
  },
  {
    name: 'add to a flow sequence (quoted like its items)',
    edits: [append([...CAPS, 'add'], 'CHOWN')],
    from: '[NET_ADMIN, SYS_TIME]',
    to: '[NET_ADMIN, SYS_TIME, CHOWN]',
  },
  { name: 'delete a key', edits: [del([...SC, 'runAsUser'])], from: '        runAsUser: 0\n', to: '' },
  { name: 'delete a list item in the middle', edits: [del([...CAPS, 'drop', 1])], from: '            - MKNOD\n', to: '' },
  { name: 'delete the last list item', edits: [del([...CAPS, 'drop', 2])], from: '            - SETPCAP\n', to: '' },
  {
    name: 'delete the only list item (→ [])',
    edits: [del(['spec', 'volumes', 0])],
    from: '  volumes:\n    - name: data\n      hostPath:\n        path: /var/data\n',
    to: '  volumes: []\n',
  },
  { name: 'delete the first item of a flow sequence', edits: [del([...CAPS, 'add', 0])], from: '[NET_ADMIN, SYS_TIME]', to: '[SYS_TIME]' },
  { name: 'delete the last item of a flow sequence', edits: [del([...CAPS, 'add', 1])], from: '[NET_ADMIN, SYS_TIME]', to: '[NET_ADMIN]' },
  {
    name: 'remove the last key of a map (→ {})',
    edits: [del(['spec', 'volumes', 0, 'hostPath', 'path'])],
    from: '      hostPath:\n        path: /var/data\n',
    to: '      hostPath: {}\n',
  },
  {
    name: 'delete the first key of a `- key:` list-item map',
    edits: [del([...SIDECAR, 'name'])],
    from: '    - name: sidecar\n      image: busybox\n',
    to: '    - image: busybox\n',
  },
  {
    name: 'replace a map entry by another (hostPath → emptyDir)',
    edits: [del(['spec', 'volumes', 0, 'hostPath']), set(['spec', 'volumes', 0, 'emptyDir'], {})],
    from: '      hostPath:\n        path: /var/data\n',
    to: '      emptyDir: {}\n',
  },
  {
    name: 'several edits in one fix',
    edits: [del([...SC, 'runAsUser']), set([...SC, 'runAsNonRoot'], true), append([...CAPS, 'drop'], 'ALL')],
    from: '        runAsUser: 0\n        capabilities:\n          add: [NET_ADMIN, SYS_TIME]\n          drop:\n            - NET_RAW\n            - MKNOD\n            - SETPCAP\n',
    to: '        capabilities:\n          add: [NET_ADMIN, SYS_TIME]\n          drop:\n            - NET_RAW\n            - MKNOD\n            - SETPCAP\n            - ALL\n        runAsNonRoot: true\n',
  },
]

const FOUR_SPACE = `apiVersion: v1
kind: Pod
metadata:
    name: web
spec:
    containers:
        - name: app
          image: nginx
          securityContext:
              runAsUser: 0
              capabilities:
                  add: [NET_ADMIN, SYS_TIME]
                  drop:
                      - NET_RAW
                      - MKNOD
                      - SETPCAP
        - name: sidecar
          image: busybox
    volumes:
        - name: data
          hostPath:
              path: /var/data
`

const FOUR_SPACE_CASES: Golden[] = [
  { name: 'change a scalar', edits: [set([...SC, 'runAsUser'], 1000)], from: 'runAsUser: 0', to: 'runAsUser: 1000' },
  {
    name: 'insert a key into an existing map',
    edits: [set([...SC, 'allowPrivilegeEscalation'], false)],
    from: '                      - SETPCAP\n',
    to: '                      - SETPCAP\n              allowPrivilegeEscalation: false\n',
  },
  {
    name: 'create nested maps: securityContext → capabilities → drop: ["ALL"]',
    edits: [set([...SIDECAR, 'securityContext', 'capabilities', 'drop'], ['ALL'])],
    from: '          image: busybox\n',
    to: '          image: busybox\n          securityContext:\n              capabilities:\n                  drop: ["ALL"]\n',
  },
  {
    name: 'create nested maps at the end of the pod spec',
    edits: [set(['spec', 'securityContext', 'seccompProfile'], { type: 'RuntimeDefault' })],
    from: '              path: /var/data\n',
    to: '              path: /var/data\n    securityContext:\n        seccompProfile:\n            type: RuntimeDefault\n',
  },
  {
    name: 'add to a block sequence',
    edits: [append([...CAPS, 'drop'], 'ALL')],
    from: '                      - SETPCAP\n',
    to: '                      - SETPCAP\n                      - ALL\n',
  },
  {
    name: 'add to a flow sequence',
    edits: [append([...CAPS, 'add'], 'CHOWN')],
    from: '[NET_ADMIN, SYS_TIME]',
    to: '[NET_ADMIN, SYS_TIME, CHOWN]',
  },
  { name: 'delete a key', edits: [del([...SC, 'runAsUser'])], from: '              runAsUser: 0\n', to: '' },
  { name: 'delete a list item in the middle', edits: [del([...CAPS, 'drop', 1])], from: '                      - MKNOD\n', to: '' },
  { name: 'delete the last list item', edits: [del([...CAPS, 'drop', 2])], from: '                      - SETPCAP\n', to: '' },
  {
    name: 'delete the only list item (→ [])',
    edits: [del(['spec', 'volumes', 0])],
    from: '    volumes:\n        - name: data\n          hostPath:\n              path: /var/data\n',
    to: '    volumes: []\n',
  },
  {
    name: 'remove the last key of a map (→ {})',
    edits: [del(['spec', 'volumes', 0, 'hostPath', 'path'])],
    from: '          hostPath:\n              path: /var/data\n',
    to: '          hostPath: {}\n',
  },
  {
    name: 'delete the first key of a `- key:` list-item map',
    edits: [del([...SIDECAR, 'name'])],
    from: '        - name: sidecar\n          image: busybox\n',
    to: '        - image: busybox\n',
  },
]

/** 4 spaces with the list item's content aligned on the next indentation stop (`-   name:`). */
const FOUR_SPACE_ALIGNED = `apiVersion: v1
kind: Pod
metadata:
    name: web
spec:
    containers:
        -   name: app
            image: nginx
        -   name: sidecar
            image: busybox
            securityContext:
                privileged: true
`

const FOUR_SPACE_ALIGNED_CASES: Golden[] = [
  {
    name: 'create nested maps under a `-   name:` item',
    edits: [set([...APP, 'securityContext', 'capabilities', 'drop'], ['ALL'])],
    from: '            image: nginx\n',
    to: '            image: nginx\n            securityContext:\n                capabilities:\n                    drop: ["ALL"]\n',
  },
  {
    name: 'insert a key next to one',
    edits: [set([...SIDECAR, 'securityContext', 'allowPrivilegeEscalation'], false)],
    from: '                privileged: true\n',
    to: '                privileged: true\n                allowPrivilegeEscalation: false\n',
  },
  {
    name: 'remove the last key of a map (→ {})',
    edits: [del([...SIDECAR, 'securityContext', 'privileged'])],
    from: '            securityContext:\n                privileged: true\n',
    to: '            securityContext: {}\n',
  },
  {
    name: 'delete the first key of a `-   key:` list-item map',
    edits: [del([...APP, 'name'])],
    from: '        -   name: app\n            image: nginx\n',
    to: '        -   image: nginx\n',
  },
]

const FLUSH = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx
    securityContext:
      runAsUser: 0
      capabilities:
        add: [NET_ADMIN, SYS_TIME]
        drop:
        - NET_RAW
        - MKNOD
        - SETPCAP
  - name: sidecar
    image: busybox
  volumes:
  - name: data
    hostPath:
      path: /var/data
`

const FLUSH_CASES: Golden[] = [
  { name: 'change a scalar', edits: [set([...SC, 'runAsUser'], 1000)], from: 'runAsUser: 0', to: 'runAsUser: 1000' },
  {
    name: 'insert a key into an existing map',
    edits: [set([...SC, 'allowPrivilegeEscalation'], false)],
    from: '        - SETPCAP\n',
    to: '        - SETPCAP\n      allowPrivilegeEscalation: false\n',
  },
  {
    name: 'create nested maps: securityContext → capabilities → drop: ["ALL"]',
    edits: [set([...SIDECAR, 'securityContext', 'capabilities', 'drop'], ['ALL'])],
    from: '    image: busybox\n',
    to: '    image: busybox\n    securityContext:\n      capabilities:\n        drop: ["ALL"]\n',
  },
  {
    name: 'create nested maps at the end of the pod spec',
    edits: [set(['spec', 'securityContext', 'seccompProfile'], { type: 'RuntimeDefault' })],
    from: '      path: /var/data\n',
    to: '      path: /var/data\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n',
  },
  { name: 'add to a block sequence', edits: [append([...CAPS, 'drop'], 'ALL')], from: '        - SETPCAP\n', to: '        - SETPCAP\n        - ALL\n' },
  {
    name: 'add to a flow sequence',
    edits: [append([...CAPS, 'add'], 'CHOWN')],
    from: '[NET_ADMIN, SYS_TIME]',
    to: '[NET_ADMIN, SYS_TIME, CHOWN]',
  },
  {
    name: 'add a map to a block sequence',
    edits: [{ op: 'append', path: ['spec', 'volumes'], value: { name: 'tmp', emptyDir: {} } }],
    from: '      path: /var/data\n',
    to: '      path: /var/data\n  - name: tmp\n    emptyDir: {}\n',
  },
  { name: 'delete a key', edits: [del([...SC, 'runAsUser'])], from: '      runAsUser: 0\n', to: '' },
  { name: 'delete a list item in the middle', edits: [del([...CAPS, 'drop', 1])], from: '        - MKNOD\n', to: '' },
  { name: 'delete the last list item', edits: [del([...CAPS, 'drop', 2])], from: '        - SETPCAP\n', to: '' },
  {
    name: 'delete the only list item (→ [])',
    edits: [del(['spec', 'volumes', 0])],
    from: '  volumes:\n  - name: data\n    hostPath:\n      path: /var/data\n',
    to: '  volumes: []\n',
  },
  {
    name: 'delete a whole container (a list item that is a map)',
    edits: [del(SIDECAR)],
    from: '  - name: sidecar\n    image: busybox\n',
    to: '',
  },
  {
    name: 'remove the last key of a map (→ {})',
    edits: [del(['spec', 'volumes', 0, 'hostPath', 'path'])],
    from: '    hostPath:\n      path: /var/data\n',
    to: '    hostPath: {}\n',
  },
  {
    name: 'delete the first key of a `- key:` list-item map',
    edits: [del([...SIDECAR, 'name'])],
    from: '  - name: sidecar\n    image: busybox\n',
    to: '  - image: busybox\n',
  },
  {
    name: 'delete every item of a list one after another (→ [])',
    edits: [del([...CAPS, 'drop', 0]), del([...CAPS, 'drop', 0]), del([...CAPS, 'drop', 0])],
    from: '        drop:\n        - NET_RAW\n        - MKNOD\n        - SETPCAP\n',
    to: '        drop: []\n',
  },
]

describe('edit shapes on a 2-space file with indented sequences', () => goldens(TWO_SPACE, TWO_SPACE_CASES))
describe('edit shapes on a 4-space file', () => goldens(FOUR_SPACE, FOUR_SPACE_CASES))
describe('edit shapes on a 4-space file with aligned list items', () => goldens(FOUR_SPACE_ALIGNED, FOUR_SPACE_ALIGNED_CASES))
describe('edit shapes on a file with flush sequences', () => goldens(FLUSH, FLUSH_CASES))

const crlf = (text: string): string => text.replace(/\n/g, '\r\n')

describe('CRLF line endings are kept, with no stray LF', () => {
  it.each([...TWO_SPACE_CASES, ...FLUSH_CASES].map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const base = TWO_SPACE_CASES.includes(c) ? TWO_SPACE : FLUSH
    const out = edited(crlf(base), c.edits)
    expect(out).toBe(crlf(replaceOnce(base, c.from, c.to)))
    expect(out).not.toMatch(/[^\r]\n/)
  })
})

describe('a file without a final line break keeps none', () => {
  it.each([...TWO_SPACE_CASES, ...FLUSH_CASES].map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const base = TWO_SPACE_CASES.includes(c) ? TWO_SPACE : FLUSH
    expect(edited(base.trimEnd(), c.edits)).toBe(replaceOnce(base, c.from, c.to).replace(/\n$/, ''))
  })
})

const OTHER_DOC = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
`

describe('in a multi-document file only the edited document changes', () => {
  const file = (middle: string): string => `${OTHER_DOC}---\n${middle}---\n# trailing document\n${OTHER_DOC}`
  it.each(TWO_SPACE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(edited(file(TWO_SPACE), c.edits, { documentIndex: 1 })).toBe(file(replaceOnce(TWO_SPACE, c.from, c.to)))
  })
})

describe('comments next to an edit are kept', () => {
  const base = `apiVersion: v1
kind: Pod
metadata:
  name: web # the web pod
spec:
  # the containers
  containers:
    - name: app # main
      securityContext:
        # locked down, mostly
        privileged: true # TODO: drop
        runAsUser: 0 # root, for now
        # end of the security context
      ports:
        - containerPort: 80 # http
          hostPort: 80
  # volumes follow
  volumes:
    - name: a # first
      emptyDir: {}
    - name: b # second
      hostPath: {path: /b} # the host
# end of file
`
  goldens(base, [
    {
      name: 'a scalar keeps its trailing comment',
      edits: [set([...SC, 'runAsUser'], 1000)],
      from: 'runAsUser: 0 # root, for now',
      to: 'runAsUser: 1000 # root, for now',
    },
    {
      name: 'a deleted key leaves the comment above it and the comments below',
      edits: [del([...SC, 'privileged'])],
      from: '        privileged: true # TODO: drop\n',
      to: '',
    },
    {
      name: 'a deleted last key leaves the comment after the map',
      edits: [del([...SC, 'runAsUser'])],
      from: '        runAsUser: 0 # root, for now\n',
      to: '',
    },
    {
      name: 'an inserted key goes before the comment that closes the map',
      edits: [set([...SC, 'allowPrivilegeEscalation'], false)],
      from: '        runAsUser: 0 # root, for now\n',
      to: '        runAsUser: 0 # root, for now\n        allowPrivilegeEscalation: false\n',
    },
    {
      name: 'a key created at the end of the pod spec goes before the file’s last comment',
      edits: [set(['spec', 'securityContext', 'runAsNonRoot'], true)],
      from: '      hostPath: {path: /b} # the host\n',
      to: '      hostPath: {path: /b} # the host\n  securityContext:\n    runAsNonRoot: true\n',
    },
    {
      name: 'a deleted key of a list item keeps the item’s comment',
      edits: [del([...APP, 'ports', 0, 'hostPort'])],
      from: '          hostPort: 80\n',
      to: '',
    },
    {
      name: 'a deleted list item takes its own comment, not its neighbours’',
      edits: [del(['spec', 'volumes', 0])],
      from: '    - name: a # first\n      emptyDir: {}\n',
      to: '',
    },
    {
      name: 'a flow map is replaced, keeping the comment after it',
      edits: [del(['spec', 'volumes', 1, 'hostPath']), set(['spec', 'volumes', 1, 'emptyDir'], {})],
      from: '      hostPath: {path: /b} # the host\n',
      to: '      emptyDir: {}\n',
    },
  ])
})

describe('quoting of a changed scalar is kept', () => {
  const base = `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    plain: unconfined
    single: 'unconfined'
    double: "unconfined"
    number: "0"
spec:
  containers:
    - name: app
      securityContext:
        capabilities:
          drop: ['NET_RAW']
          add:
            - "NET_ADMIN"
`
  const ANN = ['metadata', 'annotations']
  goldens(base, [
    { name: 'plain', edits: [set([...ANN, 'plain'], 'runtime/default')], from: 'plain: unconfined', to: 'plain: runtime/default' },
    { name: 'single quotes', edits: [set([...ANN, 'single'], 'runtime/default')], from: "single: 'unconfined'", to: "single: 'runtime/default'" },
    { name: 'double quotes', edits: [set([...ANN, 'double'], 'runtime/default')], from: 'double: "unconfined"', to: 'double: "runtime/default"' },
    { name: 'a plain value that would read as another type is quoted', edits: [set([...ANN, 'plain'], 'yes')], from: 'plain: unconfined', to: 'plain: "yes"' },
    { name: 'single quotes escape a quote', edits: [set([...ANN, 'single'], "it's")], from: "single: 'unconfined'", to: "single: 'it''s'" },
    { name: 'a number replacing a quoted string is written as a number', edits: [set([...ANN, 'number'], 1)], from: 'number: "0"', to: 'number: 1' },
    { name: 'a new key that needs quoting', edits: [set([...ANN, 'a: b'], 'x')], from: '    number: "0"\n', to: '    number: "0"\n    "a: b": x\n' },
    {
      name: 'an item added to a flow list is quoted like its neighbour',
      edits: [append([...CAPS, 'drop'], 'ALL')],
      from: "['NET_RAW']",
      to: "['NET_RAW', 'ALL']",
    },
    {
      name: 'an item added to a block list is quoted like its neighbour',
      edits: [append([...CAPS, 'add'], 'CHOWN')],
      from: '            - "NET_ADMIN"\n',
      to: '            - "NET_ADMIN"\n            - "CHOWN"\n',
    },
  ])
})

describe('new values follow the file’s habits', () => {
  const quoted = `apiVersion: "v1"
kind: "Pod"
metadata:
  name: "web"
spec:
  containers:
    - name: "app"
      image: "nginx"
      securityContext: { runAsUser: 1000, capabilities: { add: ["NET_ADMIN"] } }
`
  const CONTAINER = ['spec', 'containers', 0]
  it.each([
    {
      name: 'a file that double-quotes its strings gets double-quoted strings',
      edits: [set([...CONTAINER, 'seccompProfile', 'type'], 'RuntimeDefault')],
      from: '} }\n',
      to: '} }\n      seccompProfile:\n        type: "RuntimeDefault"\n',
    },
    {
      name: 'a map added to a flow map with padded braces is padded too',
      edits: [set([...CONTAINER, 'securityContext', 'seccompProfile', 'type'], 'RuntimeDefault')],
      from: '} }',
      to: '}, seccompProfile: { type: "RuntimeDefault" } }',
    },
    {
      name: 'a map added to a list of `-   key:` items is aligned like them',
      edits: [{ op: 'append', path: ['spec', 'containers'], value: { name: 'sidecar', image: 'busybox' } } as Edit],
      from: '} }\n',
      to: '} }\n    - name: "sidecar"\n      image: "busybox"\n',
    },
  ])('$name', (c) => {
    expect(edited(quoted, c.edits)).toBe(replaceOnce(quoted, c.from, c.to))
  })

  it('a list of `-   key:` items gets a new item in the same shape', () => {
    const base = 'spec:\n    volumes:\n        -   name: a\n            emptyDir: {}\n'
    const out = edited(base, [{ op: 'append', path: ['spec', 'volumes'], value: { name: 'b', emptyDir: {} } }])
    expect(out).toBe(`${base}        -   name: b\n            emptyDir: {}\n`)
  })

  it('a file that single-quotes its strings gets single-quoted strings', () => {
    const base = "kind: 'Pod'\nmetadata:\n  name: 'web'\nspec:\n  containers:\n  - name: 'app'\n"
    const out = edited(base, [set(['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop'], ['ALL'])])
    expect(out).toBe(`${base}    securityContext:\n      capabilities:\n        drop: ['ALL']\n`)
  })
})

describe('empty collections', () => {
  const base = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      securityContext: {}
    - name: sidecar
      securityContext:
        capabilities:
          drop: []
          add:
`
  goldens(base, [
    {
      name: 'an empty {} filled in a block file becomes a block map',
      edits: [set([...SC, 'capabilities', 'drop'], ['ALL'])],
      from: '      securityContext: {}\n',
      to: '      securityContext:\n        capabilities:\n          drop: ["ALL"]\n',
    },
    {
      name: 'an empty [] gets its first item in flow style',
      edits: [append([...SIDECAR, 'securityContext', 'capabilities', 'drop'], 'ALL')],
      from: 'drop: []',
      to: 'drop: ["ALL"]',
    },
    {
      name: 'a key with no value gets a list',
      edits: [append([...SIDECAR, 'securityContext', 'capabilities', 'add'], 'CHOWN')],
      from: '          add:\n',
      to: '          add: ["CHOWN"]\n',
    },
    {
      name: 'a key with no value gets a map',
      edits: [set([...SIDECAR, 'securityContext', 'capabilities', 'add'], { x: 1 })],
      from: '          add:\n',
      to: '          add:\n            x: 1\n',
    },
  ])
})

describe('in a kind: List item', () => {
  const base = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: first
  spec:
    containers:
    - name: app
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: second
  spec:
    template:
      spec:
        hostNetwork: true
        containers:
        - name: app
          securityContext:
            privileged: true
`
  const where = { documentPath: ['items', 1] }
  const POD = ['spec', 'template', 'spec']
  it.each([
    {
      name: 'delete a key',
      edits: [del([...POD, 'hostNetwork'])],
      from: '        hostNetwork: true\n',
      to: '',
    },
    {
      name: 'create nested maps',
      edits: [set([...POD, 'containers', 0, 'securityContext', 'capabilities', 'drop'], ['ALL'])],
      from: '            privileged: true\n',
      to: '            privileged: true\n            capabilities:\n              drop: ["ALL"]\n',
    },
    {
      name: 'insert a key',
      edits: [set([...POD, 'securityContext', 'runAsNonRoot'], true)],
      from: '            privileged: true\n',
      to: '            privileged: true\n        securityContext:\n          runAsNonRoot: true\n',
    },
  ])('$name', (c) => {
    expect(edited(base, c.edits, where)).toBe(replaceOnce(base, c.from, c.to))
  })
})

describe('in a CronJob (deep nesting)', () => {
  const base = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          annotations:
            container.apparmor.security.beta.kubernetes.io/job: unconfined
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: busybox
              securityContext:
                allowPrivilegeEscalation: true
`
  const POD = ['spec', 'jobTemplate', 'spec', 'template']
  const JOB = [...POD, 'spec', 'containers', 0]
  goldens(base, [
    {
      name: 'change a scalar',
      edits: [set([...JOB, 'securityContext', 'allowPrivilegeEscalation'], false)],
      from: 'allowPrivilegeEscalation: true',
      to: 'allowPrivilegeEscalation: false',
    },
    {
      name: 'change an annotation with a dotted, slashed key',
      edits: [set([...POD, 'metadata', 'annotations', 'container.apparmor.security.beta.kubernetes.io/job'], 'runtime/default')],
      from: ': unconfined',
      to: ': runtime/default',
    },
    {
      name: 'create nested maps deep down',
      edits: [set([...JOB, 'securityContext', 'seccompProfile', 'type'], 'RuntimeDefault')],
      from: '                allowPrivilegeEscalation: true\n',
      to: '                allowPrivilegeEscalation: true\n                seccompProfile:\n                  type: RuntimeDefault\n',
    },
    {
      name: 'create the pod securityContext between two keys',
      edits: [set([...POD, 'spec', 'securityContext', 'runAsNonRoot'], true)],
      from: '                allowPrivilegeEscalation: true\n',
      to: '                allowPrivilegeEscalation: true\n          securityContext:\n            runAsNonRoot: true\n',
    },
  ])
})

describe('a flow-style YAML document stays in flow style, keys unquoted', () => {
  const base = `{apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {hostPID: true, containers: [{name: app, securityContext: {privileged: true}}]}}\n`
  const C = ['spec', 'containers', 0, 'securityContext']
  goldens(base, [
    { name: 'change a scalar', edits: [set([...C, 'privileged'], false)], from: 'privileged: true', to: 'privileged: false' },
    {
      name: 'create nested maps',
      edits: [set([...C, 'capabilities', 'drop'], ['ALL'])],
      from: '{privileged: true}',
      to: '{privileged: true, capabilities: {drop: ["ALL"]}}',
    },
    { name: 'delete the first key of a map', edits: [del(['spec', 'hostPID'])], from: 'hostPID: true, ', to: '' },
    { name: 'delete the only key of a map (→ {})', edits: [del([...C, 'privileged'])], from: '{privileged: true}', to: '{}' },
  ])
})

describe('a JSON file stays JSON', () => {
  const base = `{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "name": "web"
  },
  "spec": {
    "hostIPC": true,
    "containers": [
      {
        "name": "app",
        "securityContext": {
          "privileged": true,
          "capabilities": {
            "drop": ["NET_RAW"],
            "add": [
              "NET_ADMIN",
              "SYS_TIME",
              "CHOWN"
            ]
          }
        }
      }
    ]
  }
}
`
  const where = { file: 'pod.json' }
  const C = ['spec', 'containers', 0, 'securityContext']
  it.each([
    { name: 'change a scalar', edits: [set([...C, 'privileged'], false)], from: '"privileged": true', to: '"privileged": false' },
    {
      name: 'delete the first key of a map (its line goes)',
      edits: [del(['spec', 'hostIPC'])],
      from: '    "hostIPC": true,\n',
      to: '',
    },
    {
      name: 'delete the last key of a map (the comma before it goes)',
      edits: [del([...C, 'capabilities', 'add'])],
      from: '"drop": ["NET_RAW"],\n            "add": [\n              "NET_ADMIN",\n              "SYS_TIME",\n              "CHOWN"\n            ]\n',
      to: '"drop": ["NET_RAW"]\n',
    },
    {
      name: 'delete an item of a multi-line list (its line goes)',
      edits: [del([...C, 'capabilities', 'add', 1])],
      from: '              "SYS_TIME",\n',
      to: '',
    },
    {
      name: 'delete the last item of a multi-line list',
      edits: [del([...C, 'capabilities', 'add', 2])],
      from: '              "SYS_TIME",\n              "CHOWN"\n',
      to: '              "SYS_TIME"\n',
    },
    {
      name: 'add to a multi-line list, on a line of its own',
      edits: [append([...C, 'capabilities', 'add'], 'KILL')],
      from: '              "CHOWN"\n',
      to: '              "CHOWN",\n              "KILL"\n',
    },
    {
      name: 'insert a key, pretty-printed like its siblings',
      edits: [set(['spec', 'securityContext', 'seccompProfile', 'type'], 'RuntimeDefault')],
      from: '      }\n    ]\n',
      to: '      }\n    ],\n    "securityContext": {\n      "seccompProfile": {\n        "type": "RuntimeDefault"\n      }\n    }\n',
    },
    {
      name: 'add to a one-line list',
      edits: [append([...C, 'capabilities', 'drop'], 'ALL')],
      from: '["NET_RAW"]',
      to: '["NET_RAW", "ALL"]',
    },
  ])('$name', (c) => {
    expect(edited(base, c.edits, where)).toBe(replaceOnce(base, c.from, c.to))
  })
})

describe('refusals: a value shared through an anchor is never edited', () => {
  const base = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      securityContext: &locked
        privileged: true
        capabilities:
          drop: [NET_RAW]
    - name: sidecar
      securityContext: *locked
    - name: merged
      securityContext:
        <<: *locked
        runAsUser: 0
`
  const refused = (edits: Edit[]): string => {
    const result = applyEdits(base, edits)
    if (result.ok) throw new Error(`expected a refusal, got:\n${result.text}`)
    return result.reason
  }
  it.each([
    ['deleting a key reached through an alias', [del(['spec', 'containers', 1, 'securityContext', 'privileged'])]],
    ['setting a key under an alias', [set(['spec', 'containers', 1, 'securityContext', 'runAsNonRoot'], true)]],
    ['deleting a key that comes from a merge key', [del(['spec', 'containers', 2, 'securityContext', 'privileged'])]],
    ['appending to a list that comes from a merge key', [append(['spec', 'containers', 2, 'securityContext', 'capabilities', 'drop'], 'ALL')]],
    ['deleting a key of the anchored map itself', [del(['spec', 'containers', 0, 'securityContext', 'privileged'])]],
    ['appending inside the anchored map', [append(['spec', 'containers', 0, 'securityContext', 'capabilities', 'drop'], 'ALL')]],
    ['deleting the anchored map', [del(['spec', 'containers', 0, 'securityContext'])]],
    ['deleting a container that holds the anchor', [del(['spec', 'containers', 0])]],
    ['replacing the anchored map', [set(['spec', 'containers', 0, 'securityContext'], { privileged: false })]],
  ] as const)('%s', (_name, edits) => {
    expect(refused([...edits])).toMatch(/anchor/)
  })

  goldens(base, [
    {
      name: 'a key of a merging map’s own is edited in place',
      edits: [del(['spec', 'containers', 2, 'securityContext', 'runAsUser'])],
      from: '        runAsUser: 0\n',
      to: '',
    },
    {
      name: 'a key is added to a merging map itself',
      edits: [set(['spec', 'containers', 2, 'securityContext', 'runAsNonRoot'], true)],
      from: '        runAsUser: 0\n',
      to: '        runAsUser: 0\n        runAsNonRoot: true\n',
    },
    {
      name: 'an alias itself can be replaced (only that place changes)',
      edits: [set(['spec', 'containers', 1, 'securityContext'], { runAsNonRoot: true })],
      from: '      securityContext: *locked\n',
      to: '      securityContext:\n        runAsNonRoot: true\n',
    },
  ])
})

describe('what is not there', () => {
  it('deleting a missing key changes nothing', () => {
    expect(edited(TWO_SPACE, [del([...SIDECAR, 'securityContext', 'privileged'])])).toBe(TWO_SPACE)
  })
  it('refuses to create a list item that does not exist', () => {
    const result = applyEdits(TWO_SPACE, [set(['spec', 'containers', 5, 'securityContext', 'privileged'], false)])
    expect(result.ok).toBe(false)
  })
})
