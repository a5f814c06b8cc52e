// The dependency rule (ARCHITECTURE.md, habit 11), run by `npm run lint`: no import cycles, between files or between
// modules, and layers point down. Type-only imports count: they tie the modules together just the same.
// dependency-cruiser reads TypeScript with swc, since TypeScript 7 has no JavaScript API for it to use.

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-import-cycle',
      severity: 'error',
      comment: 'A file reaches itself through its imports. Move what both sides need into a file they both import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycle',
      severity: 'error',
      comment:
        'Modules import each other in a circle. Move the shared type or schema to src/shared/, or have one side ' +
        'receive the other through its deps object.',
      scope: 'folder',
      from: { path: '^src/modules/[^/]+$' },
      to: { path: '^src/modules/[^/]+$', circular: true },
    },
    {
      name: 'http-only-at-the-edge',
      severity: 'error',
      comment:
        "Layers point down: only a module's index.ts and *.routes.ts (its HTTP edge) may import src/http/; " +
        'services, repositories, mappers, policies, schemas, src/shared/, src/db/ and src/storage/ do not.',
      from: { path: '^src/(modules|shared|db|storage)/', pathNot: '^src/modules/[^/]+/(index|[^/]+[.]routes)[.]ts$' },
      to: { path: '^src/http/' },
    },
    {
      name: 'modules-above-shared',
      severity: 'error',
      comment: 'Layers point down: src/shared/, src/db/ and src/storage/ serve the modules and never import them.',
      from: { path: '^src/(shared|db|storage)/' },
      to: { path: '^src/modules/' },
    },
  ],
  options: {
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    // Prisma's generated clients, build output and the scratch copies a reader test makes are not ours to check.
    exclude: { path: '(^|/)(src/generated|dist|[.]contract-check-[^/]*)/' },
  },
};
