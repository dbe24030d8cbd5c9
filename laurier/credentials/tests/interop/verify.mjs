// Independent verifier for Laurier's credentials, run by the test suite.
//
// It shares no code with Laurier: Digital Bazaar's VC libraries check the Data Integrity proofs
// (eddsa-rdfc-2022) and the Bitstring Status Lists, and `jose` checks the VC-JOSE JWTs. It never
// touches the network: the JSON-LD contexts come from Laurier's bundled copies, every other
// document (issuer controller documents, status list credentials) from the batch file, and any
// other URL is an error.
//
// Usage: node verify.mjs BATCH.json
//   BATCH.json: {"documents": [{"id": ..., ...}, ...],
//                "items": [{"name": "...", "credential": {...}} | {"name": "...", "jwt": "h.p.s"}],
//                "now": "2026-11-25T00:00:00Z"}   (optional; the verification time, default now)
// Prints one JSON array: per item {name, format: "di"|"jwt", verified, revoked, errors}.
// `revoked` is the status list's bit (true = set), or null when there is no status or it could
// not be checked. A revoked credential still has `verified: true`: the library reports the two
// separately, and so does this script.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as jose from 'jose';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CONTEXTS_DIR = path.resolve(HERE, '../../ob3/contexts');
const CONTEXT_FILES = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-v3p0-context-3.0.3.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json': 'ob-v3p0-extensions.json',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
};
const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';

const readJson = file => JSON.parse(fs.readFileSync(file, 'utf8'));

function fail(message) {
  process.stderr.write(`verify.mjs: ${message}\n`);
  process.exit(2);
}

function buildDocuments(documents) {
  const docs = new Map();
  for(const [url, file] of Object.entries(CONTEXT_FILES)) {
    docs.set(url, readJson(path.join(CONTEXTS_DIR, file)));
  }
  for(const document of documents) {
    if(!(document && typeof document.id === 'string')) {
      fail('every entry of "documents" needs a string "id"');
    }
    if(docs.has(document.id)) {
      fail(`"documents" may not replace a bundled context or repeat an id: ${document.id}`);
    }
    docs.set(document.id, document);
  }
  // The Data Integrity suite dereferences the verification method by its own id (a fragment of
  // the controller document), then loads the controller to check `assertionMethod`.
  for(const document of documents) {
    for(const method of asArray(document.verificationMethod)) {
      if(method && typeof method === 'object' && typeof method.id === 'string') {
        docs.set(method.id, {'@context': MULTIKEY_CONTEXT, ...method});
      }
    }
  }
  return docs;
}

function makeDocumentLoader(docs) {
  return async url => {
    const document = docs.get(url);
    if(document === undefined) {
      throw new Error(`offline loader: unknown document ${url}`);
    }
    // a copy, so that nothing one item does leaks into the next
    return {contextUrl: null, documentUrl: url, document: structuredClone(document)};
  };
}

function asArray(value) {
  if(value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

function idOf(value) {
  return value && typeof value === 'object' ? value.id : value;
}

// Flattens the library's nested errors (aggregate errors, causes) into readable lines.
function errorMessages(error, out = []) {
  if(!error) {
    return out;
  }
  if(Array.isArray(error)) {
    error.forEach(e => errorMessages(e, out));
    return out;
  }
  if(Array.isArray(error.errors) && error.errors.length) {
    error.errors.forEach(e => errorMessages(e, out));
  } else {
    const text = error.message || error.code || String(error);
    if(!out.includes(text)) {
      out.push(text);
    }
  }
  if(error.cause && error.cause !== error) {
    errorMessages(error.cause, out);
  }
  return out;
}

function statusOf(statusResult) {
  const results = statusResult && statusResult.results;
  if(!(Array.isArray(results) && results.length)) {
    return null;
  }
  return typeof results[0].status === 'boolean' ? results[0].status : null;
}

// `checkStatus` of the status-list library, except that each status list credential's own proof
// is verified once per batch rather than once per credential (the same library call, through
// the same loader and suite), which halves the time of a batch.
function makeStatusCheck({documentLoader, suite}) {
  const listErrors = new Map();
  async function listError(url) {
    let document;
    try {
      ({document} = await documentLoader(url));
    } catch {
      // checkStatus reports the unknown list itself
      return null;
    }
    const result = await vc.verifyCredential({credential: document, suite, documentLoader});
    if(result.verified) {
      return null;
    }
    return new Error(
      `"BitstringStatusListCredential" not verified; reason: ${errorMessages(result.error)
        .join('; ')}`);
  }
  return async options => {
    const urls = asArray(options.credential.credentialStatus)
      .map(entry => entry && entry.statusListCredential)
      .filter(url => typeof url === 'string');
    for(const url of new Set(urls)) {
      if(!listErrors.has(url)) {
        listErrors.set(url, listError(url));
      }
      const error = await listErrors.get(url);
      if(error) {
        return {verified: false, error};
      }
    }
    return checkStatus({...options, verifyBitstringStatusListCredential: false});
  };
}

async function verifyDataIntegrity({credential, documentLoader, suite, statusCheck, now}) {
  const result = await vc.verifyCredential({
    credential, suite, documentLoader, checkStatus: statusCheck, ...(now ? {now} : {})
  });
  const errors = errorMessages(result.error);
  for(const r of result.results || []) {
    errorMessages(r.error, errors);
  }
  if(result.statusResult) {
    errorMessages(result.statusResult.error, errors);
  }
  return {
    verified: result.verified === true,
    revoked: statusOf(result.statusResult),
    errors: result.verified === true ? [] : [...new Set(errors)],
  };
}

function base58Decode(text) {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let n = 0n;
  for(const c of text) {
    const digit = alphabet.indexOf(c);
    if(digit < 0) {
      throw new Error('publicKeyMultibase is not base58btc');
    }
    n = n * 58n + BigInt(digit);
  }
  const bytes = [];
  while(n > 0n) {
    bytes.unshift(Number(n % 256n));
    n /= 256n;
  }
  for(const c of text) {
    if(c !== '1') {
      break;
    }
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

// The JWK of an Ed25519 verification method, from its Multikey ("z6Mk…") or its publicKeyJwk.
function publicJwk(method) {
  if(method.publicKeyJwk) {
    return method.publicKeyJwk;
  }
  const multibase = method.publicKeyMultibase;
  if(typeof multibase !== 'string' || multibase[0] !== 'z') {
    throw new Error(`verification method ${method.id} has no base58btc publicKeyMultibase`);
  }
  const raw = base58Decode(multibase.slice(1));
  if(!(raw.length === 34 && raw[0] === 0xed && raw[1] === 0x01)) {
    throw new Error(`verification method ${method.id} is not an Ed25519 Multikey`);
  }
  return {kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw.slice(2)).toString('base64url')};
}

// The verification method `kid` among the given documents, listed by its controller under
// `assertionMethod`, as the Data Integrity route requires too.
function findAssertionMethod(documents, kid) {
  for(const document of documents) {
    const method = asArray(document.verificationMethod).find(m => m && m.id === kid);
    if(!method) {
      continue;
    }
    const controller = documents.find(d => d.id === method.controller);
    if(!controller) {
      throw new Error(
        `offline loader: unknown document ${method.controller} (controller of ${kid})`);
    }
    if(!asArray(controller.assertionMethod).some(m => idOf(m) === kid)) {
      throw new Error(`${kid} is not an assertionMethod of ${controller.id}`);
    }
    return method;
  }
  throw new Error(`offline loader: unknown document ${kid} (no verification method has this id)`);
}

async function verifyJwt({token, documents, documentLoader, suite, statusCheck, now}) {
  let payload;
  try {
    const header = jose.decodeProtectedHeader(token);
    if(header.alg !== 'EdDSA') {
      throw new Error(`JWT "alg" must be "EdDSA", not ${JSON.stringify(header.alg)}`);
    }
    if(typeof header.kid !== 'string') {
      throw new Error('JWT header has no "kid"');
    }
    const method = findAssertionMethod(documents, header.kid);
    const key = await jose.importJWK(publicJwk(method), 'EdDSA');
    const verified = await jose.compactVerify(token, key, {algorithms: ['EdDSA']});
    if(verified.protectedHeader.typ !== 'vc+jwt') {
      throw new Error(
        `JWT "typ" must be "vc+jwt", not ${JSON.stringify(verified.protectedHeader.typ)}`);
    }
    payload = JSON.parse(new TextDecoder().decode(verified.payload));
    if(idOf(payload.issuer) !== method.controller) {
      throw new Error(
        `the key ${header.kid} belongs to ${method.controller}, not to the issuer ` +
        `${JSON.stringify(idOf(payload.issuer))}`);
    }
    // The VC data model checks of the library itself, validFrom/validUntil against `now`
    // included (with its usual 5-minute clock skew).
    vc._checkCredential({credential: payload, mode: 'verify', ...(now ? {now} : {})});
  } catch(error) {
    return {verified: false, revoked: null, errors: errorMessages(error)};
  }
  if(!payload.credentialStatus) {
    return {verified: true, revoked: null, errors: []};
  }
  // The library loads the status list named in the payload, verifies the list's own proof and
  // issuer, and decodes the bits itself: nothing of Laurier's decoding is trusted.
  const statusResult = await statusCheck({credential: payload, documentLoader, suite});
  if(!statusResult.verified) {
    return {verified: false, revoked: null, errors: errorMessages(statusResult.error)};
  }
  return {verified: true, revoked: statusOf(statusResult), errors: []};
}

async function main() {
  const [, , batchFile] = process.argv;
  if(!batchFile) {
    fail('usage: node verify.mjs BATCH.json');
  }
  const batch = readJson(batchFile);
  const documents = asArray(batch.documents);
  const items = asArray(batch.items);
  const now = batch.now ? new Date(batch.now) : undefined;
  if(now && isNaN(now.getTime())) {
    fail(`"now" is not a date: ${batch.now}`);
  }
  const documentLoader = makeDocumentLoader(buildDocuments(documents));
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
  const statusCheck = makeStatusCheck({documentLoader, suite});

  const verdicts = [];
  for(const item of items) {
    const name = item.name;
    const hasCredential = item.credential !== undefined;
    const hasJwt = item.jwt !== undefined;
    const format = hasJwt ? 'jwt' : 'di';
    let verdict;
    try {
      if(hasCredential === hasJwt) {
        throw new Error('an item needs exactly one of "credential" or "jwt"');
      }
      if(hasJwt) {
        if(typeof item.jwt !== 'string') {
          throw new Error('"jwt" must be a compact JWS string');
        }
        verdict = await verifyJwt({
          token: item.jwt.trim(), documents, documentLoader, suite, statusCheck, now
        });
      } else {
        verdict = await verifyDataIntegrity({
          credential: item.credential, documentLoader, suite, statusCheck, now
        });
      }
    } catch(error) {
      verdict = {verified: false, revoked: null, errors: errorMessages(error)};
    }
    if(!verdict.verified && !verdict.errors.length) {
      verdict.errors.push('not verified (the library gave no reason)');
    }
    verdicts.push({name, format, ...verdict});
  }
  process.stdout.write(JSON.stringify(verdicts) + '\n');
}

await main();
