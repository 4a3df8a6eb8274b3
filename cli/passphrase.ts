import { readFileSync } from 'node:fs';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import { CaseboardError } from '../shared/errors';

/** Asks on the terminal without echoing what is typed. */
function prompt(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

/**
 * The passphrase for encrypting or decrypting: from --passphrase-file, else
 * the CASEBOARD_PASSPHRASE environment variable, else asked on the terminal.
 * Never taken from the command line itself, where other users could see it.
 */
export async function readPassphrase(file: string | undefined, confirm: boolean): Promise<string> {
  if (file) {
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch {
      throw new CaseboardError('invalid_input', `The passphrase file ${file} cannot be read.`);
    }
  }
  const fromEnv = process.env.CASEBOARD_PASSPHRASE;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new CaseboardError('invalid_input', 'Give the passphrase with --passphrase-file or the CASEBOARD_PASSPHRASE environment variable.');
  const passphrase = await prompt('Passphrase: ');
  if (confirm && (await prompt('Repeat the passphrase: ')) !== passphrase) throw new CaseboardError('invalid_input', 'The two passphrases differ; nothing was written.');
  return passphrase;
}
