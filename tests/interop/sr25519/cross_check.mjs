// Signs and verifies with @scure/sr25519, an implementation independent of the miner's, for the
// interoperability test: node cross_check.mjs REQUEST.json prints the answers as JSON.
//   request: {"sign": [{"seed": hex, "message": hex}], "verify": [{"public_key", "message", "signature"}]}
//   answer:  {"signed": [{"public_key": hex, "signature": hex}], "verified": [bool]}
import { readFileSync } from 'node:fs';
import * as sr25519 from '@scure/sr25519';

const fromHex = (hex) => Uint8Array.from(Buffer.from(hex, 'hex'));
const toHex = (bytes) => Buffer.from(bytes).toString('hex');

const request = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const signed = (request.sign ?? []).map(({ seed, message }) => {
  const secret = sr25519.secretFromSeed(fromHex(seed));
  return { public_key: toHex(sr25519.getPublicKey(secret)), signature: toHex(sr25519.sign(secret, fromHex(message))) };
});
const verified = (request.verify ?? []).map(({ public_key, message, signature }) =>
  sr25519.verify(fromHex(message), fromHex(signature), fromHex(public_key)));
process.stdout.write(JSON.stringify({ signed, verified }));
