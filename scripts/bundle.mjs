// Bundles the action and the CLI into self-contained ESM files under dist/ (they run with no node_modules).
import { build } from 'esbuild'
import { chmod, rm } from 'node:fs/promises'

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  legalComments: 'none',
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: { js: "import { createRequire as __krRequire } from 'node:module'; const require = __krRequire(import.meta.url);" },
}

await rm('dist', { recursive: true, force: true })
await build({ ...shared, entryPoints: { index: 'src/index.ts' }, outdir: 'dist' })
await build({ ...shared, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', banner: { js: `#!/usr/bin/env node\n${shared.banner.js}` } })
await chmod('dist/cli.js', 0o755)
