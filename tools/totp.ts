/** Prints the current authenticator code for a secret (demo and support use). */
import { authenticator } from 'otplib';

const secret = process.argv[2];
if (!secret || !/^[A-Z2-7]+=*$/.test(secret)) {
  console.error('usage: npm run totp -- <base32 secret>');
  process.exit(64);
}
console.log(authenticator.generate(secret));
