// Svelte 5 compiles TypeScript in components itself; no preprocessors are needed.
export default {};
