// What the bundle has in place of zod's locales index (scripts/build.mjs, zodEnglishOnly): English only.
export { default as en } from 'zod/v4/locales/en.js';
