import fs from 'node:fs/promises';

/** Config files are small; anything bigger is not a config file we should load into memory. */
export const MAX_CONFIG_BYTES = 64 * 1024 * 1024;

/** The file's bytes, or null when it does not exist or is not a readable regular file. */
export async function readFileIfAny(file: string): Promise<Buffer | null> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile() || st.size > MAX_CONFIG_BYTES) return null;
    return await fs.readFile(file);
  } catch {
    return null;
  }
}
