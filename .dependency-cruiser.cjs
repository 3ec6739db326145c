/**
 * The dependency rule of ARCHITECTURE.md, enforced in `npm test` (npm run depcheck):
 * adapters (cli, http) -> pipeline -> stage folders -> store -> database; domain imports nothing
 * of the app; nothing imports an adapter; only store/database.ts knows the database engine.
 */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'circular imports hide the data flow', from: {}, to: { circular: true } },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ holds pure types and functions; it imports nothing from the app',
      from: { path: '^src/domain/' },
      to: { path: '^src/(?!domain/)' },
    },
    {
      name: 'nothing-imports-adapters',
      severity: 'error',
      comment: 'cli/ and http/ are thin adapters at the edge; no other code may depend on them',
      from: { path: '^src/(?!cli/|http/)' },
      to: { path: '^src/(cli|http)/' },
    },
    {
      name: 'adapters-do-not-import-each-other',
      severity: 'error',
      comment: 'the one exception is `claimtrace serve`, which starts the HTTP adapter',
      from: { path: '^src/cli/', pathNot: '^src/cli/commands/serve\\.ts$' },
      to: { path: '^src/http/' },
    },
    {
      name: 'http-does-not-import-cli',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'store-is-below-stages',
      severity: 'error',
      comment: 'store/ sits under the stages: it may use domain/, errors and config only',
      from: { path: '^src/store/' },
      to: { path: '^src/(capture|extract|verify|coordinate|respond|pipeline|eval)/' },
    },
    {
      name: 'stages-do-not-call-pipeline',
      severity: 'error',
      comment: 'the pipeline runs the stages, never the other way round',
      from: { path: '^src/(capture|extract|verify|coordinate|respond|store|domain)/' },
      to: { path: '^src/pipeline/' },
    },
    {
      name: 'one-file-knows-the-engine',
      severity: 'error',
      comment: 'only store/database.ts may import a database driver',
      from: { path: '^src/', pathNot: '^src/store/database\\.ts$' },
      to: { path: 'node_modules/(better-sqlite3|pg)/' },
    },
    {
      name: 'extract-does-not-reach-later-stages',
      severity: 'error',
      comment: 'stages depend only on earlier stages: capture <- extract <- verify <- coordinate <- respond',
      from: { path: '^src/(capture|extract)/' },
      to: { path: '^src/(verify|coordinate|respond)/' },
    },
    {
      name: 'verify-does-not-reach-later-stages',
      severity: 'error',
      from: { path: '^src/verify/' },
      to: { path: '^src/(coordinate|respond)/' },
    },
    {
      name: 'capture-does-not-reach-extract',
      severity: 'error',
      from: { path: '^src/capture/' },
      to: { path: '^src/extract/' },
    },
    {
      name: 'no-process-env-modules-outside-config',
      severity: 'error',
      comment: 'code is not shipped from tests or benches',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
