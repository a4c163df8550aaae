/**
 * Runs the `fabrique` CLI in this process through `main(argv)`, as the executable does, capturing what it
 * prints. Spawning a process per call cost seconds each (node + tsx + every module loaded again).
 *
 * Output: console and process.stdout/stderr writes are captured only for code running inside the call
 * (AsyncLocalStorage), so the test runner's own output, or another test's, is never swallowed.
 * Environment: FABRIQUE_DB, DATABASE_URL… are process-wide, so calls are serialised within a file and
 * each call restores the variables it set.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main.ts';

export interface CliOutcome { code: number; stdout: string; stderr: string }

interface Capture { stdout: string[]; stderr: string[] }

const capture = new AsyncLocalStorage<Capture>();
let installed = false;

function intercept(stream: NodeJS.WriteStream, key: keyof Capture): void {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void) => {
    const into = capture.getStore();
    if (!into) return write(chunk, encoding as BufferEncoding, cb);
    into[key].push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8'));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (done) process.nextTick(done);
    return true;
  }) as typeof stream.write;
}

/** console.* writes to process.stdout/stderr, so intercepting both streams captures it too. */
function install(): void {
  if (installed) return;
  installed = true;
  intercept(process.stdout, 'stdout');
  intercept(process.stderr, 'stderr');
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * `fabrique …args` in this process. `env` sets (or, with undefined, removes) variables for the call;
 * DATABASE_URL is cleared unless given, so a developer's PostgreSQL is never touched.
 */
export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliOutcome> {
  const run = async (): Promise<CliOutcome> => {
    install();
    const vars: Record<string, string | undefined> = { DATABASE_URL: undefined, ...env };
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    const setAll = (values: Record<string, string | undefined>) => {
      for (const [k, v] of Object.entries(values)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    };
    setAll(vars);
    const into: Capture = { stdout: [], stderr: [] };
    try {
      const code = await capture.run(into, () => main(args));
      return { code, stdout: into.stdout.join(''), stderr: into.stderr.join('') };
    } finally {
      setAll(saved);
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

const ROOT = join(import.meta.dirname, '..', '..');

/** `fabrique …args` as a real process (the executable, its exit code and pipes): for the few smoke tests. */
export async function spawnCli(args: string[], env: Record<string, string> = {}): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/fabrique.ts'), ...args], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: '', ...env }, maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
