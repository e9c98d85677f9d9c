// Independent check of a license file using only Node's built-in crypto (no JOSE library).
// stdin: {"jwks": {...}, "jws": "...", "jwe": "...", "key": "LK1-...", "tampered": "..."}
// stdout: {"signatureValid": bool, "tamperedValid": bool, "header": {...}, "claims": {...},
//          "licenseId": "...", "decrypted": "...", "jweHeader": {...}}
import crypto from 'node:crypto';
import fs from 'node:fs';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const b64u = (s) => Buffer.from(s, 'base64url');

// License key, version 1: "LK1-" + 60 Crockford base32 symbols (dashes ignored); symbols 1..58 hold
// license id (16 bytes) + secret (20 bytes) + 2 zero bits; 59..60 a CRC-10 (poly 0x233) over them.
function parseLicenseKey(text) {
  let s = text.trim().toUpperCase();
  if (!s.startsWith('LK1-')) throw new Error('not a v1 license key');
  s = s.slice(4).replace(/-/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== 60) throw new Error('bad length');
  const symbols = [...s].map((c) => {
    const v = ALPHABET.indexOf(c);
    if (v < 0) throw new Error('bad character');
    return v;
  });
  let crc = 0;
  for (const v of symbols) {
    for (let b = 4; b >= 0; b--) {
      const top = (crc >> 9) & 1;
      crc = (crc << 1) & 0x3ff;
      if (top ^ ((v >> b) & 1)) crc ^= 0x233;
    }
  }
  if (crc !== 0) throw new Error('bad checksum');
  const bits = symbols.slice(0, 58).map((v) => v.toString(2).padStart(5, '0')).join('');
  if (bits.slice(288) !== '00') throw new Error('bad padding');
  const bytes = Buffer.alloc(36);
  for (let i = 0; i < 36; i++) bytes[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const h = bytes.subarray(0, 16).toString('hex');
  const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return { id, secret: bytes.subarray(16) };
}

function verifyJws(jws, jwks) {
  const [h, p, s] = jws.split('.');
  const header = JSON.parse(b64u(h).toString('utf8'));
  if (header.alg !== 'EdDSA') return { valid: false, header };
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) return { valid: false, header };
  const pub = crypto.createPublicKey({ key: jwk, format: 'jwk' });
  const valid = crypto.verify(null, Buffer.from(`${h}.${p}`, 'ascii'), pub, b64u(s));
  return { valid, header, claims: JSON.parse(b64u(p).toString('utf8')) };
}

function decryptJwe(jwe, keyText) {
  const { id, secret } = parseLicenseKey(keyText);
  const [h, encryptedKey, iv, ct, tag] = jwe.split('.');
  const header = JSON.parse(b64u(h).toString('utf8'));
  if (header.alg !== 'dir' || header.enc !== 'A256GCM' || encryptedKey !== '') throw new Error('unexpected JWE');
  const cek = Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.from(id, 'utf8'),
      Buffer.from('licensing/license-file/v1', 'utf8'), 32));
  const decipher = crypto.createDecipheriv('aes-256-gcm', cek, b64u(iv));
  decipher.setAAD(Buffer.from(h, 'ascii'));
  decipher.setAuthTag(b64u(tag));
  const plain = Buffer.concat([decipher.update(b64u(ct)), decipher.final()]).toString('utf8');
  return { id, header, plain };
}

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const signed = verifyJws(input.jws, input.jwks);
const tampered = verifyJws(input.tampered, input.jwks);
const dec = decryptJwe(input.jwe, input.key);
const decVerified = verifyJws(dec.plain, input.jwks);
process.stdout.write(JSON.stringify({
  signatureValid: signed.valid,
  tamperedValid: tampered.valid,
  header: signed.header,
  claims: signed.claims,
  licenseId: dec.id,
  jweHeader: dec.header,
  decrypted: dec.plain,
  decryptedValid: decVerified.valid,
}));
