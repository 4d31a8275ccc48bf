// Only the version field: bundlers inline just this value, not the whole package.json (scripts, dev deps).
import { version } from '../../package.json' with { type: 'json' };

// From package.json so the CLI, the server and the app can never disagree about the version.
export const VERSION: string = version;
