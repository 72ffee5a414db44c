import crypto from 'crypto'
import { api } from '../helpers/hub-process'
import { snapshotDatabase } from '../helpers/db-snapshot'
import { FakePeer, MastodonSignOptions } from '../helpers/fake-peer'
import { startTestHub, TestHub } from '../helpers/in-process-hub'
import { PeerActor, postRaw, servePeerActor, signedHeaders } from '../helpers/peer-actors'
import { waitForQuietHub } from '../helpers/quiet-hub'
import { ed25519KeyPair } from '../helpers/rfc9421-signer'

/**
 * The table of hostile inbound requests: every gap of apex in the research note and every
 * forgery a peer could try, each answered with the expected status and leaving the database
 * exactly as it was (row counts and content of every table). The hub allows only 127.0.0.1 of
 * the non-public addresses, so redirects to other loopback addresses stand in for private ones
 * (no request ever leaves this machine).
 */

interface HostileRequest {
  name: string
  status: number
  /** What the refusal's message must say (checked when the answer is an error). */
  message?: RegExp
  request: (ctx: Context, id: string) => { path?: string, body: string, headers: Record<string, string> }
}

interface Context {
  hub: TestHub
  coopId: string
  serviceId: string
  coopCreateId: string
  /** A Note alice created for the co-op: stored, hers. */
  aliceNoteId: string
  alice: PeerActor
  bob: PeerActor
  mallory: PeerActor
  eve: PeerActor
  peer: FakePeer
  third: FakePeer
  redirector: FakePeer
  blockedPeer: FakePeer
}

const INBOX = '/u/target/inbox'
const HOUR = 3600_000

const follow = (c: Context, actor: PeerActor, id: string): Record<string, unknown> =>
  ({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${actor.id}/activities/${id}`, type: 'Follow', actor: actor.id, object: c.coopId })

const activityOf = (actor: PeerActor, id: string, rest: Record<string, unknown>): Record<string, unknown> =>
  ({ '@context': 'https://www.w3.org/ns/activitystreams', id: `${actor.id}/activities/${id}`, actor: actor.id, ...rest })

/** A request signed draft-cavage style by `actor` (overrides make forgeries). */
function cavage (c: Context, actor: PeerActor, doc: unknown, overrides: Partial<MastodonSignOptions> = {}, path = INBOX): { path: string, body: string, headers: Record<string, string> } {
  const body = typeof doc === 'string' ? doc : JSON.stringify(doc)
  return { path, body, headers: signedHeaders(actor, `${c.hub.url}${path}`, body, { style: 'cavage', overrides }) }
}

/** A request signed per RFC 9421 by `actor`. */
function rfc9421 (c: Context, actor: PeerActor, doc: unknown, overrides: Record<string, unknown> = {}, path = INBOX): { path: string, body: string, headers: Record<string, string> } {
  const body = JSON.stringify(doc)
  return { path, body, headers: signedHeaders(actor, `${c.hub.url}${path}`, body, { style: 'rfc9421', overrides }) }
}

/** An IRI on alice's server whose open redirect leads to `path` on the third server. */
const viaOpenRedirect = (c: Context, path: string): string => `${c.peer.origin}/redirect?to=${c.third.origin}${path}`

const sha256 = (s: string): string => crypto.createHash('sha256').update(s).digest('base64')

const hostile: HostileRequest[] = [
  // Signatures (draft-cavage)
  { name: 'no signature at all', status: 401, message: /Signature header is missing/, request: (c, id) => ({ body: JSON.stringify(follow(c, c.alice, id)), headers: { 'content-type': 'application/activity+json' } }) },
  { name: 'a garbled Signature header', status: 401, message: /could not be parsed/, request: (c, id) => { const r = cavage(c, c.alice, follow(c, c.alice, id)); return { ...r, headers: { ...r.headers, signature: 'keyId=nonsense' } } } },
  { name: 'Digest of a different body (body changed after signing)', status: 401, message: /Digest header does not match/, request: (c, id) => { const r = cavage(c, c.alice, follow(c, c.alice, id)); return { ...r, body: r.body.replace('"Follow"', '"Follow","summary":"x"') } } },
  { name: 'Digest with MD5 only', status: 401, message: /Digest header does not match/, request: (c, id) => { const doc = JSON.stringify(follow(c, c.alice, id)); return cavage(c, c.alice, doc, { digest: `MD5=${crypto.createHash('md5').update(doc).digest('base64')}` }) } },
  { name: 'no Digest header and digest not signed', status: 401, message: /must cover digest/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { digest: null, headers: ['(request-target)', 'host', 'date'] }) },
  { name: 'Digest sent but not signed', status: 401, message: /must cover digest/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { headers: ['(request-target)', 'host', 'date'] }) },
  { name: '(request-target) not signed', status: 401, message: /must cover \(request-target\)/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { headers: ['host', 'date', 'digest'] }) },
  { name: 'host not signed', status: 401, message: /must cover host/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { headers: ['(request-target)', 'date', 'digest'] }) },
  { name: 'neither date nor (created) signed', status: 401, message: /must cover date or \(created\)/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { headers: ['(request-target)', 'host', 'digest'] }) },
  { name: 'Date two hours old (apex answered 500)', status: 401, message: /more than an hour away/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { date: new Date(Date.now() - 2 * HOUR) }) },
  { name: 'Date two hours in the future', status: 401, message: /more than an hour away/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { date: new Date(Date.now() + 2 * HOUR) }) },
  { name: 'Date that is not an HTTP date', status: 401, message: /not an HTTP date/, request: (c, id) => { const r = cavage(c, c.alice, follow(c, c.alice, id)); return { ...r, headers: { ...r.headers, date: 'yesterday' } } } },
  { name: 'the actor\'s keyId, signed with another key (forged)', status: 401, message: /does not verify/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { privateKeyPem: c.mallory.privateKeyPem }) },
  { name: 'signed by another server\'s actor for the actor (signer mismatch)', status: 403, message: /signed by .*mallory but the activity's actor is .*alice/, request: (c, id) => cavage(c, c.mallory, follow(c, c.alice, id)) },
  { name: 'a signature replayed to another inbox ((request-target) differs)', status: 401, message: /does not verify/, request: (c, id) => { const r = cavage(c, c.alice, follow(c, c.alice, id), {}, '/u/other/inbox'); return { ...r, path: INBOX } } },
  { name: 'random bytes as the signature', status: 401, message: /does not verify/, request: (c, id) => { const r = cavage(c, c.alice, follow(c, c.alice, id)); return { ...r, headers: { ...r.headers, signature: r.headers.signature.replace(/signature="[^"]*"/, `signature="${crypto.randomBytes(256).toString('base64')}"`) } } } },
  { name: 'an empty signature', status: 401, message: /could not be parsed/, request: (c, id) => { const r = cavage(c, c.alice, follow(c, c.alice, id)); return { ...r, headers: { ...r.headers, signature: r.headers.signature.replace(/signature="[^"]*"/, 'signature=""') } } } },
  { name: 'keyId that does not exist on its server (404)', status: 401, message: /signing key could not be fetched/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { keyId: `${c.peer.origin}/users/nobody#main-key` }) },
  { name: 'keyId with a file: URL', status: 401, message: /signing key could not be fetched.*http and https/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { keyId: 'file:///etc/passwd#main-key' }) },
  { name: 'keyId on a loopback address the hub may not reach (127.0.0.2)', status: 401, message: /signing key could not be fetched.*loopback or private/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { keyId: `http://127.0.0.2:${new URL(c.peer.origin).port}/users/alice#main-key` }) },
  { name: 'keyId redirecting to another loopback address (SSRF by redirect)', status: 401, message: /signing key could not be fetched.*loopback or private/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { keyId: `${c.redirector.origin}/to-127-0-0-2#main-key` }) },
  { name: 'keyId redirecting to [::1] (SSRF by redirect, IPv6)', status: 401, message: /signing key could not be fetched.*loopback or private/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { keyId: `${c.redirector.origin}/to-ipv6-loopback#main-key` }) },
  { name: 'key document claiming an id on another origin', status: 401, message: /signing key could not be fetched.*not from the same origin/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { keyId: `${c.peer.origin}/users/liar#main-key` }) },
  { name: 'keyId through an open redirect to another server\'s document claiming the actor\'s id', status: 401, message: /signing key could not be fetched.*after a redirect.*not from the same origin/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { keyId: `${viaOpenRedirect(c, '/fake-alice')}#main-key`, privateKeyPem: c.mallory.privateKeyPem }) },
  { name: 'keyId through an open redirect to the other server\'s own actor', status: 401, message: /signing key could not be fetched.*a key counts only on its own origin/, request: (c, id) => cavage(c, c.mallory, follow(c, c.mallory, id), { keyId: `${viaOpenRedirect(c, '/users/mallory')}#main-key` }) },
  {
    name: 'Authorization: Signature with a forged signature',
    status: 401,
    message: /does not verify/,
    request: (c, id) => {
      const r = cavage(c, c.alice, follow(c, c.alice, id), { privateKeyPem: c.mallory.privateKeyPem })
      const { signature, ...rest } = r.headers
      return { ...r, headers: { ...rest, authorization: `Signature ${signature}` } }
    }
  },
  // Signatures (RFC 9421)
  { name: 'RFC 9421 covering content-digest without the header', status: 401, message: /covers the header content-digest/, request: (c, id) => rfc9421(c, c.alice, follow(c, c.alice, id), { contentDigest: null }) },
  { name: 'RFC 9421 with a Content-Digest of another body', status: 401, message: /Content-Digest sha-256 does not match/, request: (c, id) => rfc9421(c, c.alice, follow(c, c.alice, id), { contentDigest: `sha-256=:${sha256('something else')}:` }) },
  { name: 'RFC 9421 created two hours ago (replay)', status: 401, message: /created more than an hour ago/, request: (c, id) => rfc9421(c, c.alice, follow(c, c.alice, id), { created: Math.floor((Date.now() - 2 * HOUR) / 1000) }) },
  { name: 'RFC 9421 created two hours in the future', status: 401, message: /more than an hour in the future/, request: (c, id) => rfc9421(c, c.alice, follow(c, c.alice, id), { created: Math.floor((Date.now() + 2 * HOUR) / 1000) }) },
  { name: 'RFC 9421 whose expires is 30 minutes past (was accepted for an hour)', status: 401, message: /signature expired at .*more than 60 s before/, request: (c, id) => rfc9421(c, c.alice, follow(c, c.alice, id), { created: Math.floor((Date.now() - HOUR / 2 - 60_000) / 1000), expires: Math.floor((Date.now() - HOUR / 2) / 1000) }) },
  { name: 'draft-cavage whose signed (expires) is 30 minutes past', status: 401, message: /signature expired at .*more than 60 s before/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), { headers: ['(request-target)', 'host', 'date', 'digest', '(expires)'], expires: Math.floor((Date.now() - HOUR / 2) / 1000) }) },
  { name: 'RFC 9421 not covering @method', status: 401, message: /must cover @method/, request: (c, id) => rfc9421(c, c.alice, follow(c, c.alice, id), { components: ['@target-uri', 'content-digest'] }) },
  { name: 'RFC 9421 not covering content-digest', status: 401, message: /must cover content-digest/, request: (c, id) => rfc9421(c, c.alice, follow(c, c.alice, id), { components: ['@method', '@target-uri'] }) },
  { name: 'RFC 9421 signed for another inbox (@target-uri differs)', status: 401, message: /does not verify/, request: (c, id) => { const r = rfc9421(c, c.alice, follow(c, c.alice, id), {}, '/u/other/inbox'); return { ...r, path: INBOX } } },
  { name: 'RFC 9421 with an unsupported algorithm', status: 401, message: /algorithm hmac-sha256 is not supported/, request: (c, id) => rfc9421(c, c.alice, follow(c, c.alice, id), { alg: 'hmac-sha256' }) },
  { name: 'RFC 9421 Ed25519 Multikey keyId signed with another Ed25519 key', status: 401, message: /does not verify/, request: (c, id) => rfc9421(c, c.bob, follow(c, c.bob, id), { privateKey: ed25519KeyPair().privateKey }) },
  { name: 'RFC 9421 with an algorithm that does not fit the key', status: 401, message: /does not verify/, request: (c, id) => rfc9421(c, c.alice, follow(c, c.alice, id), { alg: 'ed25519' }) },
  { name: 'RFC 9421 with a malformed Signature-Input', status: 401, message: /not a structured dictionary/, request: (c, id) => rfc9421(c, c.alice, follow(c, c.alice, id), { rawSignatureInput: 'sig1=("@method" "@target-uri";created=oops' }) },
  { name: 'RFC 9421 whose Signature-Input label has no Signature', status: 401, message: /No label of Signature-Input/, request: (c, id) => { const r = rfc9421(c, c.alice, follow(c, c.alice, id)); return { ...r, headers: { ...r.headers, signature: r.headers.signature.replace(/^sig1=/, 'other=') } } } },
  // Bodies
  { name: 'a body over 1 MiB', status: 413, message: /larger than/, request: () => ({ body: JSON.stringify({ type: 'Note', content: 'x'.repeat(1024 * 1024 + 10) }), headers: { 'content-type': 'application/activity+json' } }) },
  { name: 'JSON nested 40 levels deep', status: 400, message: /nested more than 32/, request: () => ({ body: '{"a":'.repeat(40) + '1' + '}'.repeat(40), headers: { 'content-type': 'application/activity+json' } }) },
  ...deepJsonCases(),
  { name: 'a body that is not JSON', status: 400, message: /not valid JSON/, request: () => ({ body: '{"type": "Follow",', headers: { 'content-type': 'application/activity+json' } }) },
  { name: 'a JSON array instead of an activity', status: 400, message: /one JSON object/, request: () => ({ body: '[{"type":"Follow"}]', headers: { 'content-type': 'application/activity+json' } }) },
  { name: 'a text/plain body', status: 415, message: /application\/activity\+json/, request: (c, id) => ({ body: JSON.stringify(follow(c, c.alice, id)), headers: { 'content-type': 'text/plain' } }) },
  { name: 'a signed activity without an actor', status: 400, message: /has no actor/, request: (c, id) => cavage(c, c.alice, { '@context': 'https://www.w3.org/ns/activitystreams', id: `${c.alice.id}/activities/${id}`, type: 'Follow', object: c.coopId }) },
  { name: 'a signed activity without a type', status: 400, message: /Invalid activity/, request: (c, id) => cavage(c, c.alice, activityOf(c.alice, id, { object: c.coopId })) },
  { name: 'the inbox of a co-op that does not exist', status: 404, message: /not found/, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), {}, '/u/nobody/inbox') },
  // What activities claim
  { name: 'Create embedding a spoofed object from a third server (its origin answers 404)', status: 400, message: /its own server did not confirm it/, request: (c, id) => cavage(c, c.alice, activityOf(c.alice, id, { type: 'Create', to: c.coopId, object: { id: `${c.third.origin}/notes/never-written`, type: 'Note', attributedTo: `${c.third.origin}/users/carol`, content: 'words carol never wrote' } })) },
  { name: 'Create whose object is on a loopback address the hub may not reach', status: 400, message: /could not be fetched.*loopback or private/, request: (c, id) => cavage(c, c.alice, activityOf(c.alice, id, { type: 'Create', to: c.coopId, object: `http://127.0.0.2:${new URL(c.peer.origin).port}/notes/1` })) },
  { name: 'Create embedding an object whose id redirects to another server that claims it', status: 400, message: /did not confirm it.*after a redirect.*not from the same origin/, request: (c, id) => cavage(c, c.mallory, activityOf(c.mallory, id, { type: 'Create', to: c.coopId, object: { id: viaOpenRedirect(c, '/forged-note'), type: 'Note', attributedTo: c.alice.id, content: 'words alice never wrote' } })) },
  { name: 'Create whose object redirects to [::1] (SSRF by redirect)', status: 400, message: /could not be fetched.*loopback or private/, request: (c, id) => cavage(c, c.alice, activityOf(c.alice, id, { type: 'Create', to: c.coopId, object: `${c.redirector.origin}/to-ipv6-loopback` })) },
  { name: 'Update of the co-op\'s own service by a remote actor', status: 400, message: /Object requried/, request: (c, id) => cavage(c, c.alice, activityOf(c.alice, id, { type: 'Update', to: c.coopId, object: { id: c.serviceId, type: 'Page', name: 'Taken over', attributedTo: c.alice.id } })) },
  { name: 'Delete of the co-op\'s own service by a remote actor', status: 403, message: /may not/, request: (c, id) => cavage(c, c.alice, activityOf(c.alice, id, { type: 'Delete', to: c.coopId, object: c.serviceId })) },
  { name: 'Undo of the co-op\'s own activity by a remote actor', status: 403, message: /may not/, request: (c, id) => cavage(c, c.alice, activityOf(c.alice, id, { type: 'Undo', to: c.coopId, object: c.coopCreateId })) },
  { name: 'Like without an object', status: 400, message: /needs an id, an actor and an object/, request: (c, id) => cavage(c, c.alice, activityOf(c.alice, id, { type: 'Like', to: c.coopId })) },
  { name: 'Announce without an object', status: 400, message: /needs an id, an actor and an object/, request: (c, id) => cavage(c, c.alice, activityOf(c.alice, id, { type: 'Announce', to: c.coopId })) },
  // Whose ids and objects they are
  { name: 'an activity under another server\'s id (id squatting)', status: 403, message: /is not on its actor's server/, request: (c, id) => cavage(c, c.mallory, { ...follow(c, c.mallory, id), id: `${c.alice.id}#follows/${id}` }) },
  { name: 'an Undo under another server\'s predictable id, at the shared inbox', status: 403, message: /is not on its actor's server/, request: (c, id) => cavage(c, c.mallory, activityOf(c.mallory, id, { id: `${c.alice.id}#follows/${id}/undo`, type: 'Undo', to: c.coopId, object: `${c.mallory.id}/activities/warm-up` }), {}, '/inbox') },
  { name: 'an activity id given as @id on another server', status: 403, message: /is not on its actor's server/, request: (c, id) => { const { id: _id, ...rest } = follow(c, c.mallory, id); return cavage(c, c.mallory, { ...rest, '@id': `${c.alice.id}/activities/${id}` }) } },
  { name: 'Update of another actor\'s stored Note on the same server', status: 403, message: /belongs to .*alice on this hub; .*bob may not update it/, request: (c, id) => rfc9421(c, c.bob, activityOf(c.bob, id, { type: 'Update', to: c.coopId, object: { id: c.aliceNoteId, type: 'Note', attributedTo: c.bob.id, content: 'bob\'s words now' } })) },
  { name: 'Create under the id of another actor\'s stored Note on the same server', status: 403, message: /belongs to .*alice on this hub; .*bob may not create it/, request: (c, id) => rfc9421(c, c.bob, activityOf(c.bob, id, { type: 'Create', to: c.coopId, object: { id: c.aliceNoteId, type: 'Note', attributedTo: c.bob.id, content: 'bob\'s words now' } })) },
  { name: 'Delete of another actor\'s stored Note on the same server', status: 403, message: /belongs to .*alice on this hub; .*bob may not delete it/, request: (c, id) => rfc9421(c, c.bob, activityOf(c.bob, id, { type: 'Delete', to: c.coopId, object: c.aliceNoteId })) },
  // shares and likes IRIs (apex answered 500, or 502 with the activity's id on this hub)
  { name: 'a shares IRI on this hub', status: 400, message: /shares collection .* is not on that object's own server/, request: (c, id) => cavage(c, c.alice, { ...follow(c, c.alice, id), shares: `${c.hub.url}/s/${id}/shares` }) },
  { name: 'a likes IRI on this hub', status: 400, message: /likes collection .* is not on that object's own server/, request: (c, id) => cavage(c, c.alice, { ...follow(c, c.alice, id), likes: `${c.hub.url}/s/${id}/likes` }) },
  { name: 'a shares IRI on this hub, at the shared inbox', status: 400, message: /shares collection .* is not on that object's own server/, request: (c, id) => cavage(c, c.alice, { ...follow(c, c.alice, id), shares: `${c.hub.url}/s/${id}/shares` }, {}, '/inbox') },
  { name: 'a shares IRI and the activity id on this hub', status: 403, message: /is not on its actor's server/, request: (c, id) => cavage(c, c.alice, { ...follow(c, c.alice, id), id: `${c.hub.url}/s/${id}`, shares: `${c.hub.url}/s/${id}/shares` }) },
  { name: 'a likes IRI and the activity id on this hub', status: 403, message: /is not on its actor's server/, request: (c, id) => cavage(c, c.alice, { ...follow(c, c.alice, id), id: `${c.hub.url}/s/${id}`, likes: `${c.hub.url}/s/${id}/likes` }) },
  { name: 'a likes IRI on the sender\'s server that it does not serve (apex answered 502)', status: 400, message: /shares or likes collection could not be fetched/, request: (c, id) => cavage(c, c.alice, { ...follow(c, c.alice, id), likes: `${c.alice.id}/no-such-likes/${id}` }) },
  { name: 'a Create of a Note whose shares collection its server does not serve (the Note was kept behind the 400)', status: 400, message: /shares or likes collection could not be fetched/, request: (c, id) => cavage(c, c.alice, activityOf(c.alice, id, { type: 'Create', to: c.coopId, shares: `${c.alice.id}/no-such-shares/${id}`, object: { id: `${c.alice.id}/notes/with-shares-${id}`, type: 'Note', attributedTo: c.alice.id, content: 'hi' } })) },
  { name: 'a Create whose shares is served but whose likes is not (the shares document was kept behind the 400)', status: 400, message: /shares or likes collection could not be fetched/, request: (c, id) => cavage(c, c.alice, activityOf(c.alice, id, { type: 'Create', to: c.coopId, shares: `${c.alice.id}/shares-of-everything`, likes: `${c.alice.id}/no-such-likes/${id}`, object: { id: `${c.alice.id}/notes/with-likes-${id}`, type: 'Note', attributedTo: c.alice.id, content: 'hi' } })) },
  { name: 'a shares that is no collection', status: 400, message: /is a \w+, not a collection/, request: (c, id) => cavage(c, c.alice, { ...follow(c, c.alice, id), shares: c.alice.id }) },
  { name: 'two shares collections', status: 400, message: /names 2 shares collections/, request: (c, id) => cavage(c, c.alice, { ...follow(c, c.alice, id), shares: [`${c.alice.id}/s1/${id}`, `${c.alice.id}/s2/${id}`] }) },
  { name: 'an Update of an activity whose shares IRI is on this hub', status: 400, message: /shares collection .* is not on that object's own server/, request: (c, id) => cavage(c, c.alice, activityOf(c.alice, id, { type: 'Update', to: c.coopId, object: { ...follow(c, c.alice, `${id}-object`), shares: `${c.hub.url}/s/${id}/shares` } })) },
  // Blocked domains
  { name: 'signed by an actor on a blocked domain', status: 403, message: /blocked on this hub/, request: (c, id) => cavage(c, c.eve, follow(c, c.eve, id)) },
  { name: 'an activity whose actor is on a blocked domain, signed by someone else', status: 403, message: /blocked on this hub/, request: (c, id) => cavage(c, c.alice, follow(c, c.eve, id)) },
  { name: 'RFC 9421 signed by an actor on a blocked domain', status: 403, message: /blocked on this hub/, request: (c, id) => rfc9421(c, c.eve, follow(c, c.eve, id)) },
  // Repeats
  { name: 'an exact replay of an accepted Follow (fresh signature)', status: 202, request: c => cavage(c, c.alice, follow(c, c.alice, 'warm-up')) },
  { name: 'an accepted activity id re-sent with other content', status: 202, request: c => cavage(c, c.alice, { ...follow(c, c.alice, 'warm-up'), summary: 'changed' }) },
  // Shared and instance inboxes
  { name: 'the shared inbox without a signature', status: 401, message: /Signature header is missing/, request: (c, id) => ({ path: '/inbox', body: JSON.stringify(follow(c, c.alice, id)), headers: { 'content-type': 'application/activity+json' } }) },
  { name: 'the shared inbox with a Digest of a different body', status: 401, message: /Digest header does not match/, request: (c, id) => { const r = cavage(c, c.alice, follow(c, c.alice, id), {}, '/inbox'); return { ...r, body: r.body.replace('"Follow"', '"Follow","summary":"x"') } } },
  { name: 'the shared inbox with an activity for nobody on this hub', status: 202, request: (c, id) => cavage(c, c.alice, activityOf(c.alice, id, { type: 'Create', to: 'https://www.w3.org/ns/activitystreams#Public', object: { id: `${c.alice.id}/notes/${id}`, type: 'Note', attributedTo: c.alice.id, content: 'hi' } }), {}, '/inbox') },
  { name: 'the shared inbox, a signer acting for another server\'s actor', status: 403, message: /signed by .*mallory/, request: (c, id) => cavage(c, c.mallory, follow(c, c.alice, id), {}, '/inbox') },
  { name: 'the instance actor\'s inbox without a signature', status: 401, message: /Signature header is missing/, request: (c, id) => ({ path: '/actor/inbox', body: JSON.stringify(follow(c, c.alice, id)), headers: { 'content-type': 'application/activity+json' } }) },
  { name: 'the instance actor\'s inbox, signed (accepted and dropped)', status: 202, request: (c, id) => cavage(c, c.alice, follow(c, c.alice, id), {}, '/actor/inbox') }
]

/** JSON 5,000 and 100,000 levels deep at the three inboxes (a stack overflow and a 500 before the depth check was iterative). */
function deepJsonCases (): HostileRequest[] {
  const inboxes = [['a co-op\'s inbox', INBOX], ['the shared inbox', '/inbox'], ['the instance actor\'s inbox', '/actor/inbox']]
  const shapes: Array<[string, (n: number) => string]> = [
    ['objects', n => '{"a":'.repeat(n) + '1' + '}'.repeat(n)],
    ['arrays', n => '{"a":' + '['.repeat(n - 1) + ']'.repeat(n - 1) + '}']
  ]
  return inboxes.flatMap(([where, path]) => [5_000, 100_000].flatMap(levels => shapes.map(([shape, build]): HostileRequest => ({
    name: `${shape} nested ${levels.toLocaleString('en')} levels deep at ${where}`,
    status: 400,
    message: /nested more than 32 levels/,
    request: () => ({ path, body: build(levels), headers: { 'content-type': 'application/activity+json' } })
  }))))
}

describe('hostile inbound requests', () => {
  const ctx = {} as Context

  beforeAll(async () => {
    // Of the non-public addresses only 127.0.0.1 is allowed: 127.0.0.2 and ::1 stand for private ones.
    ctx.hub = await startTestHub({ HUB_ALLOW_PRIVATE_ADDRESSES: '127.0.0.1' })
    ctx.peer = await new FakePeer().start()
    ctx.third = await new FakePeer().start()
    ctx.redirector = await new FakePeer().start()
    ctx.blockedPeer = await new FakePeer().start()
    ctx.alice = servePeerActor(ctx.peer, 'alice', { sharedInbox: true })
    ctx.bob = servePeerActor(ctx.peer, 'bob', { key: 'ed25519-multikey' })
    ctx.mallory = servePeerActor(ctx.third, 'mallory')
    ctx.eve = servePeerActor(ctx.blockedPeer, 'eve')
    ctx.peer.serve('/users/liar', { ...servePeerActor(ctx.peer, 'liar').document, id: `${ctx.third.origin}/users/liar` })
    const port = new URL(ctx.peer.origin).port
    ctx.redirector.redirect('/to-127-0-0-2', `http://127.0.0.2:${port}/users/alice`)
    ctx.redirector.redirect('/to-ipv6-loopback', `http://[::1]:${port}/users/alice`)
    // alice's server has an open redirect; the third server serves forgeries that claim alice's origin.
    ctx.peer.openRedirect('/redirect')
    ctx.third.serve('/fake-alice', { ...ctx.alice.document, inbox: `${ctx.third.origin}/stolen/inbox`, publicKey: { id: `${viaOpenRedirect(ctx, '/fake-alice')}#main-key`, owner: ctx.alice.id, publicKeyPem: (ctx.mallory.document.publicKey as { publicKeyPem: string }).publicKeyPem } })
    ctx.peer.serve('/users/alice/shares-of-everything', { '@context': 'https://www.w3.org/ns/activitystreams', id: `${ctx.peer.origin}/users/alice/shares-of-everything`, type: 'OrderedCollection', totalItems: 0, orderedItems: [] })
    ctx.third.serve('/forged-note', { '@context': 'https://www.w3.org/ns/activitystreams', id: `${ctx.peer.origin}/notes/forged`, type: 'Note', attributedTo: ctx.alice.id, content: 'words alice never wrote' })

    const coop = await api(ctx.hub, 'POST', '/api/v1/coops', ctx.hub.adminToken, { username: 'target', name: 'Target Co-op' })
    ctx.coopId = coop.json.id
    const service = await api(ctx.hub, 'PUT', '/api/v1/coops/target/services/files', coop.json.token, { name: 'Files', category: 'file-hosting', url: 'https://files.target.example', access: 'members' })
    ctx.serviceId = service.json.id
    ctx.coopCreateId = (await ctx.hub.hub.store.getStream(`${ctx.coopId}/outbox`, 1))[0].id
    ctx.aliceNoteId = `${ctx.alice.id}/notes/kept`
    const blocked = await api(ctx.hub, 'POST', '/api/v1/admin/domain-blocks', ctx.hub.adminToken, { domain: new URL(ctx.blockedPeer.origin).host, reason: 'test' })
    expect(blocked.status).toBe(201)

    // Warm up: each signer's key is fetched and cached once, and one Follow is accepted (replayed below).
    for (const actor of [ctx.alice, ctx.bob, ctx.mallory]) {
      const r = cavageOrRfc(ctx, actor, follow(ctx, actor, 'warm-up'))
      expect((await postRaw(`${ctx.hub.url}${INBOX}`, r.body, r.headers)).status).toBe(202)
    }
    const note = cavage(ctx, ctx.alice, activityOf(ctx.alice, 'note-kept', { type: 'Create', to: ctx.coopId, object: { id: ctx.aliceNoteId, type: 'Note', attributedTo: ctx.alice.id, content: 'alice\'s words' } }))
    expect((await postRaw(`${ctx.hub.url}${INBOX}`, note.body, note.headers)).status).toBe(202)
    // The warm-up Follows are answered with Accepts: let them be resolved and delivered first.
    await waitForQuietHub(ctx.hub.hub)
  })

  afterAll(async () => {
    await ctx.hub?.stop()
    await Promise.all([ctx.peer, ctx.third, ctx.redirector, ctx.blockedPeer].map(p => p?.stop()))
  })

  it('has at least 40 cases', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(40)
  })

  it.each(hostile)('$name → $status, database unchanged', async ({ status, message, request }) => {
    const id = `hostile-${crypto.randomBytes(6).toString('hex')}`
    const before = snapshotDatabase(ctx.hub.hub.config.dataDir)
    const { path, body, headers } = request(ctx, id)
    const res = await postRaw(`${ctx.hub.url}${path ?? INBOX}`, body, headers)
    await ctx.hub.hub.journal.idle()
    expect({ status: res.status, message: res.json?.message }).toEqual({ status, message: message ? expect.stringMatching(message) : undefined })
    expect(snapshotDatabase(ctx.hub.hub.config.dataDir)).toEqual(before)
  })
})

function cavageOrRfc (c: Context, actor: PeerActor, doc: unknown): { body: string, headers: Record<string, string> } {
  // Ed25519 keys are only sent with RFC 9421 (the Mastodon-style cavage helper signs RSA).
  return actor === c.bob ? rfc9421(c, actor, doc) : cavage(c, actor, doc)
}
