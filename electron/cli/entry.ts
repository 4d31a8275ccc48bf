import { tuneGarbageCollector } from '../core/gc.ts';
import { runCli } from './main.ts';

tuneGarbageCollector();

// Exit code by assignment, not process.exit(): stdout must drain fully when piped into another tool.
process.exitCode = await runCli(process.argv.slice(2));
