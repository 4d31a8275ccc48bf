import pkg from '../package.json' with { type: 'json' };

// From package.json so the CLI, the server and the app can never disagree about the version.
export const VERSION: string = pkg.version;
