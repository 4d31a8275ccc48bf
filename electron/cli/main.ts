import { Command, CommanderError, Option } from 'commander';
import path from 'node:path';
import { VERSION } from '../core/version.ts';
import { defaultContext } from '../engine/defaults.ts';
import type { EngineContext } from '../core/context.ts';
import { EXIT, type Cli, type CliIO } from './command.ts';

export { EXIT, type CliIO } from './command.ts';

// The command line: options and help only. Each command's code lives in commands/<name>.ts and is imported when that
// command runs, so `--version`, `--help` and `explain` never load the PST, network or server code.

/** Runs the CLI and returns its exit code; never calls process.exit itself. */
export async function runCli(argv: string[], given: CliIO = defaultIO()): Promise<number> {
  let code: number = EXIT.OK;
  // Whether a document already went to stdout: a later failure then adds no second one (see cli/failure.ts).
  let printed = false;
  const io: CliIO = { ...given, stdout: (s) => ((printed = true), given.stdout(s)) };
  const cli: Cli = {
    io,
    ctx: (home?: string): EngineContext => (home ? { ...io.ctx, home: path.resolve(home) } : io.ctx),
    exit: (c) => void (code = c),
  };
  // Commander calls an action with the command's arguments, then its options, then the command itself.
  const lazy =
    <A extends unknown[]>(load: () => Promise<(cli: Cli, ...args: A) => Promise<void>>) =>
    async (...args: A) =>
      (await load())(cli, ...args);

  const program = new Command('mailmedic')
    .description('Finds out why e-mail will not send or an Outlook data file is damaged, and fixes it safely.')
    .version(VERSION, '-v, --version')
    .showHelpAfterError()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  const json = () => new Option('--json', 'print one JSON report document on stdout (see report.schema.json)');
  const home = () => new Option('--home <dir>', "inspect DIR as the user's home (another profile, a mounted disk)");
  const collect = (v: string, prev: string[] = []) => [...prev, v];

  program
    .command('scan')
    .description('check everything: accounts, their outgoing servers, the network and Outlook data files')
    .addOption(home())
    .option('--smtp-host <host...>', 'also probe these SMTP hosts')
    .option('--ports <list>', 'SMTP ports to probe', '25,465,587,2525')
    .option('--timeout <ms>', 'per-step network timeout in milliseconds')
    .option('--offline', 'no network probes (inspect files only)')
    .option('--out <file>', 'also write the JSON report to FILE')
    .addOption(json())
    .action(lazy(async () => (await import('./commands/scan.ts')).run));

  program
    .command('smtp <host>')
    .description('probe an SMTP server on several ports at once and explain what happens')
    .option('--ports <list>', 'ports to probe', '25,465,587,2525')
    .option('--timeout <ms>', 'per-step timeout in milliseconds')
    .option('--from <addr>', 'MAIL FROM for a dry run (never sends DATA)')
    .option('--to <addr>', 'RCPT TO for a dry run')
    .option('--user <name>', 'AUTH user name')
    .option('--password-stdin', 'read the AUTH password from standard input (never stored or logged)')
    .option('--oauth-token-stdin', 'read an OAuth 2.0 access token from standard input and sign in with XOAUTH2 (never stored or logged)')
    .option('--auth <mechanism>', 'sign in with this mechanism only: PLAIN, LOGIN, CRAM-MD5, XOAUTH2 or OAUTHBEARER')
    .option('--insecure-tls-ok', 'a self-signed certificate does not fail the port (still reported)')
    .option('--implicit-ports <list>', 'ports besides 465 that speak SSL/TLS from the first byte')
    .option('--email <addr>', "also look up the settings the address's provider publishes (autoconfig, ISPDB, SRV)")
    .option('--out <file>', 'also write the JSON report to FILE')
    .addOption(json())
    .action(lazy(async () => (await import('./commands/smtp.ts')).run));

  program
    .command('explain <text...>')
    .description('explain an SMTP error text ("421 4.7.0 Try again later") in plain words')
    .addOption(json())
    .action(lazy(async () => (await import('./commands/explain.ts')).run));

  program
    .command('accounts')
    .description("list every mail client's accounts and what is wrong with them")
    .addOption(home())
    .addOption(json())
    .action(lazy(async () => (await import('./commands/accounts.ts')).run));

  program
    .command('network')
    .description('firewall, VPN, antivirus, proxy and route: what stands between you and the mail server')
    .option('--smtp-host <host>', 'which route mail to HOST takes')
    .addOption(json())
    .action(lazy(async () => (await import('./commands/network.ts')).run));

  const pst = program.command('pst').description('check and rescue Outlook data files (.pst/.ost)');
  pst
    .command('scan <paths...>')
    .description('verify every structure and checksum of PST/OST files or folders of them')
    .option('--jobs <n>', 'files scanned in parallel')
    .option('--deep', 'also read every message, recipient and attachment')
    .option('--csv <file>', 'write a CSV summary to FILE')
    .option('--html <file>', 'write an HTML report to FILE')
    .option('--out <file>', 'also write the JSON report to FILE')
    .addOption(new Option('--migration <target>', 'readiness for a migration: a verdict per file against its import rules').choices(['m365']))
    .option('--mailbox <addr>', 'with --migration: the mailbox the files go to (files the map names go to theirs)')
    .option('--mailbox-map <file>', 'with --migration: CSV of "path prefix or file name,mailbox" lines')
    .option('--import-csv <file>', 'with --migration: write the import mapping CSV (FILE-1.csv, FILE-2.csv… beyond 500 rows)')
    .addOption(json())
    .action(lazy(async () => (await import('./commands/pst.ts')).scan));
  pst
    .command('salvage <file>')
    .description('export every readable message (the original is only ever read)')
    .requiredOption('--out <dir>', 'folder to write the messages to')
    .addOption(new Option('--format <format>', 'eml files in folders, or one mbox per folder').choices(['eml', 'mbox']).default('eml'))
    .addOption(json())
    .action(lazy(async () => (await import('./commands/pst.ts')).salvage));
  pst
    .command('repair <source>')
    .description('rebuild a damaged PST or OST into a new Unicode PST that Outlook opens (the original is only ever read)')
    .requiredOption('--out <file>', 'the new .pst to write')
    .option('--split-gb <n>', 'write OUT-1.pst, OUT-2.pst, … of at most N GB each (no message is split)')
    .option('--force', 'replace an existing OUT')
    .option('--csv <file>', 'write the per-item list (kept, partial, recovered, lost) to FILE')
    .addOption(json())
    .action(lazy(async () => (await import('./commands/pst-repair.ts')).run));

  program
    .command('fix [fixId]')
    .description('apply a fix named by a finding (preview first; backup, atomic write, undo)')
    .addOption(home())
    .option('--list', 'list the fixes available now')
    .option('--yes', 'apply without asking (required when not interactive)')
    .option('--dry-run', 'only show what would change')
    .addOption(json())
    .action(lazy(async () => (await import('./commands/fix.ts')).run));

  program
    .command('undo [journalId]')
    .description('undo a fix (default: the last one applied)')
    .addOption(home())
    .addOption(json())
    .action(lazy(async () => (await import('./commands/undo.ts')).run));

  program
    .command('serve')
    .description('serve the MailMedic UI and API (127.0.0.1 by default; token-protected)')
    .option('--port <n>', 'port on 127.0.0.1 (default: any free port)')
    .option('--listen <addr:port>', 'listen elsewhere (remote agent for IT): needs --tls-cert/--tls-key and --token-file')
    .option('--tls-cert <file>', 'TLS certificate (PEM)')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--tls-ca <file>', 'require client certificates signed by this CA (mutual TLS)')
    .option('--token-file <file>', 'read the bearer token from FILE instead of making a random one')
    .option('--home <dir>', "inspect DIR as the user's home")
    .option('--allow-root <dir>', 'folders API callers may name (PST files, salvage output); repeatable; default: the home', collect)
    .option('--allow-fixes', 'allow fix and undo calls (read-only otherwise)')
    .option('--audit-log <file>', 'append-only audit log of every API request (default: <data dir>/audit.log)')
    .option('--rate-limit <n>', 'API requests per minute per client', '120')
    .option('--allow-origin <origin>', 'let an IT console at ORIGIN (e.g. https://console:8443) call this agent; repeatable', collect)
    .option('--console', 'the served UI may connect to remote agents (IT console: https agents, or loopback ones)')
    .action(lazy(async () => (await import('./commands/serve.ts')).run));

  program
    .command('report')
    .description('work with saved reports (fleet summaries for IT)')
    .command('merge <reports...>')
    .description("merge many hosts' JSON reports into one fleet summary")
    .option('--csv <file>', 'write one row per host to FILE')
    .option('--html <file>', 'write an HTML summary to FILE')
    .option('--json', 'print the fleet summary as JSON')
    .action(lazy(async () => (await import('./commands/report.ts')).merge));

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError && ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code)) return EXIT.OK;
    const { cannotRun } = await import('./failure.ts');
    cannotRun(e, { json: argv.includes('--json') && !printed }, io);
    return EXIT.CANNOT_RUN;
  }
  return code;
}

function defaultIO(): CliIO {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    ctx: defaultContext(),
  };
}
