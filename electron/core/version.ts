// Only the version field: bundlers inline just this value, not the whole package.json (scripts, dev deps). A named
// import from JSON is a bundler feature (no import attribute: with one, esbuild allows only the default export).
import { version } from '../../package.json';

// From package.json so the CLI, the server and the app can never disagree about the version.
export const VERSION: string = version;
