/**
 * Password hashing with scrypt (memory-hard, per-user salt), compared in constant time; and the
 * password policy (length, list of common passwords) applied wherever a password is set.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { stripAccents } from '../text/french.ts';

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEYLEN = 32;

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }, keylen: number): Promise<Buffer> {
  const opts: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` (salt and hash in base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P }, KEYLEN);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) }, expected.length);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;
/** Spends the time of a verification when the account does not exist (no user enumeration by timing). */
export async function burnPasswordTime(password: string): Promise<void> {
  dummy ??= hashPassword('fabrique-compte-inexistant');
  await verifyPassword(password, await dummy);
}

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1000;

let common: Set<string> | undefined;
/** The list shipped in src/server/common-passwords.txt (lower case, no accents). */
function commonPasswords(): Set<string> {
  common ??= new Set(readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map(fold));
  return common;
}

function fold(s: string): string {
  return stripAccents(s).toLowerCase();
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's', '!': 'i' };

/**
 * Why a password is refused (a French sentence for the person choosing it), or undefined when it is
 * acceptable: at least 12 characters, not one of the common passwords, nor one of them with digits or
 * symbols around it, separators inside or letters swapped for look-alike digits (p@ssw0rd), not made
 * of a handful of characters, and not containing the account's e-mail name.
 */
export function passwordProblem(password: string, email?: string): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `Mot de passe trop court : au moins ${MIN_PASSWORD_LENGTH} caractères (${length} donnés).`;
  if (length > MAX_PASSWORD_LENGTH) return `Mot de passe trop long : au plus ${MAX_PASSWORD_LENGTH} caractères.`;
  const f = fold(password);
  const compact = (x: string) => x.replace(/[\s._-]+/g, '');
  const core = f.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const leet = [...core].map((ch) => LEET[ch] ?? ch).join('');
  const list = commonPasswords();
  const candidates = [f, compact(f), core, compact(core), leet, compact(leet)];
  if (candidates.some((c) => c && list.has(c))) {
    return 'Mot de passe refusé : c’est l’un des mots de passe les plus courants (ou une variante simple, avec des chiffres ou des symboles autour). Choisissez par exemple quatre mots sans lien entre eux.';
  }
  if (new Set(f).size < 5) return 'Mot de passe refusé : trop répétitif (moins de 5 caractères différents). Choisissez par exemple quatre mots sans lien entre eux.';
  const local = compact(fold(email?.split('@')[0] ?? ''));
  if (local.length >= 4 && compact(f).includes(local)) return 'Mot de passe refusé : il contient votre adresse e-mail. Choisissez par exemple quatre mots sans lien entre eux.';
  return undefined;
}
