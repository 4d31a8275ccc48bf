import { CommanderError } from 'commander';
import { errorBody, toErrorBody } from '../contract/envelope.ts';

/**
 * A command that could not run (exit 2). The message goes to stderr (commander has already written its own usage
 * errors there). With `json` — --json given and nothing printed on stdout yet — stdout gets the HTTP API's error
 * body, {"error": {"kind", "message"}}, as the one JSON document of the run.
 */
export function cannotRun(e: unknown, opts: { json: boolean }, io: { stdout: (s: string) => void; stderr: (s: string) => void }): void {
  const usage = e instanceof CommanderError;
  const body = usage ? errorBody('bad-request', e.message.replace(/^error: /, '')) : toErrorBody(e);
  if (!usage) io.stderr(`mailmedic: error: ${body.error.message}\n`);
  if (opts.json) io.stdout(JSON.stringify(body, null, 2) + '\n');
}
