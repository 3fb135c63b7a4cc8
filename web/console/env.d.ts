// esbuild bundles the stylesheet imported by main.tsx; to TypeScript it is a module with no exports.
declare module '*.css';
