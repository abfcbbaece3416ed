// SPDX-License-Identifier: Apache-2.0
/**
 * A promise-based client for Juggler EE (websocket RPC and pub-sub, subprotocol `juggler.0`),
 * for browsers and Node. No dependencies.
 *
 * Served by the WAR as `/js/juggler.js`; a front-end project installs it as the npm package
 * `@juggler-ee/client` (README.md beside this file).
 *
 * ```js
 * import { connect } from '/js/juggler.js'; // or from '@juggler-ee/client'
 * const j = connect('/ws');
 * const reversed = await j.call('test.reverse', 'hello', { timeout: 2000 });
 * const unsubscribe = await j.subscribe('room.*', (args, e) => console.log(e.channel, args), {
 *   pattern: true,
 * });
 * await j.publish('room.42', { text: 'hi all' });
 * ```
 *
 * Semantics (docs/protocol.md sections 1.4, 3 and 5):
 * - Every request waits for a connection: made while connecting or reconnecting, it is queued and
 *   sent once the socket is open. Its timeout counts from the moment it was made.
 * - `call` settles exactly once: with the RES args, a {@link NackError}, an {@link ExpiredError}
 *   from the local timer (the server never reports expiry), or a {@link DisconnectedError} when the
 *   connection drops after the CALL was sent. A RES arriving later is ignored. A RES before its ACK
 *   is fine. A callee failure is not an error here: it resolves with `{error: {message}}`.
 * - `publish`, `subscribe` and `unsubscribe` settle on their ACK or NACK.
 * - When the connection drops, the client reconnects with exponential back-off (with jitter) and
 *   subscribes again to every active subscription, then emits `reconnect`.
 * - Calls survive a reconnect (Juggler EE, docs/protocol.md 2.8): the client asks for a resumable
 *   session, keeps its token, and presents it when it reconnects, to any server; the results of
 *   calls made before the drop then arrive on the new connection, within the calls' timeouts. When
 *   the session cannot be resumed (its window passed, or the server has no sessions: a reference
 *   server) those calls reject with {@link DisconnectedError} and `session` says why.
 * - Events survive a reconnect on channels that keep a history (Juggler EE,
 *   `juggler.history.channels`): the client remembers the position (offset, epoch) of the last
 *   event of each channel subscription and re-subscribes from there; the server replays what was
 *   missed, in order. When it cannot (the history started over, or lost some of it) the client
 *   emits `recovery` with `recovered: false`: reload what the channel's events build up.
 *
 * @module juggler
 */

/** The only subprotocol spoken. */
export const SUBPROTOCOL = 'juggler.0';

const CALL = 1;
const PUB = 2;
const SUB = 3;
const UNSB = 4;
const NACK = 7;
const ACK = 8;
const RES = 9;
const EVNT = 10;

/** Root of the errors this client rejects with. */
export class JugglerError extends Error {
  constructor(message) {
    super(message);
    this.name = new.target.name;
  }
}

/** The server refused the request (a NACK): `code` is HTTP-like, `message` the server's text. */
export class NackError extends JugglerError {
  constructor(payload) {
    super(payload.message ?? 'refused');
    /** @type {number} */
    this.code = payload.code;
    /** @type {string|undefined} */
    this.uri = payload.uri;
    /** @type {string|undefined} */
    this.channel = payload.channel;
  }
}

/** No answer within the timeout (for a call: the local expiry, the reference client's EXP). */
export class ExpiredError extends JugglerError {
  constructor(request, timeout) {
    super(`${request}: no answer within ${timeout} ms`);
    /** @type {number} */
    this.timeout = timeout;
  }
}

/** The connection closed (or the client was closed) before the answer came. */
export class DisconnectedError extends JugglerError {
  constructor(message, code, reason) {
    super(message);
    /** @type {number|undefined} websocket close code */
    this.code = code;
    /** @type {string|undefined} websocket close reason */
    this.reason = reason;
  }
}

/**
 * Opens a client; shorthand for `new Juggler(url, options)`.
 * @param {string} [url] websocket URL; in a browser also relative (`/ws`) or http(s), default `/ws`
 * @param {JugglerOptions} [options]
 * @returns {Juggler}
 */
export function connect(url, options) {
  return new Juggler(url, options);
}

/**
 * @typedef {object} JugglerOptions
 * @property {number} [timeout=60000] default timeout in ms for calls and for awaiting ACKs
 * @property {typeof WebSocket} [WebSocket] websocket implementation, default `globalThis.WebSocket`
 * @property {{initialDelay?: number, maxDelay?: number}|false} [reconnect] back-off in ms
 *     (default 500 doubling up to 30000), or `false` to close for good on the first drop
 * @property {boolean} [session=true] ask for a resumable session, so that calls survive a reconnect
 *     (`false`: a call pending when the connection drops rejects with {@link DisconnectedError})
 * @property {string|(() => string|undefined)} [token] bearer token (a signed JWT), or a function
 *     asked for the current one at every (re)connection; sent as the `access_token` query
 *     parameter, which the server accepts only with `juggler.auth.query-token=true` (a token in
 *     the `mp.jwt.token.cookie` cookie of the page's own origin needs no option at all)
 */

/**
 * One juggler connection, reopened as needed. States: `connecting` (socket opening), `open`,
 * `reconnecting` (waiting for the next attempt) and `closed` (after {@link Juggler#close}, or a
 * drop with reconnect off). Events for {@link Juggler#on}: `state` (the new state), `open`,
 * `close` ({code, reason}), `reconnect` ({attempt}) once re-subscribed after a reconnect,
 * `session` ({id, resumed, refused}) when the server has opened or resumed the connection's
 * session (`refused`: why a token was not accepted, e.g. `expired`), `recovery` ({channel,
 * recovered, reason, offset, epoch}) when a subscription that asked to recover missed events was
 * renewed (`recovered: false`: events were lost, `reason` says why), and `error` (a failed
 * re-subscription or an exception thrown by a handler).
 */
export class Juggler {
  #url;
  #WebSocket;
  #timeout;
  #backoff;
  #token;
  #session;
  /** the token of the current session, once the server gave one */
  #resumeToken = null;
  /** counts connections; a pending call remembers the one it was sent on */
  #generation = 0;
  /** the uuid of the request made last (a call's, for its abort signal) */
  #lastUuid = null;
  #ws = null;
  #state = 'connecting';
  #opened = false;
  #attempt = 0;
  #retry = null;
  /** uuid -> {type, what, frame, sent, timer, resolve, reject} */
  #pending = new Map();
  /** key -> {channel, pattern, handlers: Set, active} */
  #subs = new Map();
  #listeners = new Map();

  /**
   * @param {string} [url]
   * @param {JugglerOptions} [options]
   */
  constructor(
    url,
    { timeout = 60000, WebSocket = globalThis.WebSocket, reconnect = {}, token, session = true } = {},
  ) {
    if (typeof WebSocket !== 'function') {
      throw new TypeError(
        'no WebSocket implementation: pass the WebSocket option (Node 20: --experimental-websocket)',
      );
    }
    if (!(timeout > 0)) throw new RangeError(`timeout must be > 0 ms, got ${timeout}`);
    this.#url = resolveUrl(url);
    this.#WebSocket = WebSocket;
    this.#timeout = timeout;
    this.#backoff = reconnect && { initialDelay: 500, maxDelay: 30000, ...reconnect };
    if (token !== undefined && typeof token !== 'string' && typeof token !== 'function') {
      throw new TypeError('token must be a string or a function returning one');
    }
    this.#token = token;
    this.#session = Boolean(session);
    this.#open();
  }

  /** The websocket URL. @type {string} */
  get url() {
    return this.#url;
  }

  /** `connecting`, `open`, `reconnecting` or `closed`. @type {string} */
  get state() {
    return this.#state;
  }

  /**
   * Adds an event listener.
   * @param {'state'|'open'|'close'|'reconnect'|'error'} event
   * @param {(arg: any) => void} listener
   * @returns {() => void} removes the listener
   */
  on(event, listener) {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    const set = this.#listeners.get(event);
    const entry = (arg) => listener(arg);
    set.add(entry);
    return () => set.delete(entry);
  }

  /**
   * Resolves once the connection is open (at once if it is).
   * @returns {Promise<Juggler>} rejects with {@link DisconnectedError} if the client closes first
   */
  ready() {
    if (this.#state === 'open') return Promise.resolve(this);
    if (this.#state === 'closed') return Promise.reject(new DisconnectedError('client closed'));
    return new Promise((resolve, reject) => {
      const off = this.on('state', (state) => {
        if (state === 'open' || state === 'closed') {
          off();
          state === 'open' ? resolve(this) : reject(new DisconnectedError('client closed'));
        }
      });
    });
  }

  /**
   * Calls a remote function.
   * @param {string} uri
   * @param {any} [args] any JSON value
   * @param {{timeout?: number, signal?: AbortSignal}} [options] `timeout` in ms, sent to the
   *   server (in ns) and timed locally; `signal` cancels the call when aborted: the promise rejects
   *   with the signal's reason (an `AbortError`), and a Juggler EE server removes the call if no
   *   callee took it yet, or tells the callee running it to stop (docs/protocol.md 3.5)
   * @returns {Promise<any>} the RES args
   */
  call(uri, args, { timeout = this.#timeout, signal } = {}) {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const payload = { uri, timeout: Math.round(timeout * 1e6), args: args ?? null };
    // like the reference client: a timeout <= 0 goes to the server as is, the local timer uses the default
    const what = `call ${uri}`;
    this.#lastUuid = null;
    const result = this.#request(CALL, payload, timeout > 0 ? timeout : this.#timeout, what);
    const uuid = this.#lastUuid; // null when the client is closed: the call rejected at once
    if (signal && uuid) {
      const abort = () => this.#cancel(uuid, signal.reason);
      signal.addEventListener('abort', abort, { once: true });
      result.then(
        () => signal.removeEventListener('abort', abort),
        () => signal.removeEventListener('abort', abort),
      );
    }
    return result;
  }

  /** Cancels the pending call `uuid`: rejects it with `reason`, and tells the server if it was sent. */
  #cancel(uuid, reason) {
    const p = this.#pending.get(uuid);
    if (!p) return;
    const sent = p.sent;
    this.#settle(uuid, undefined, reason);
    if (sent && this.#state === 'open') {
      this.#ws.send(JSON.stringify({ meta: { type: UNSB, uuid: randomUuid() }, payload: { call: uuid } }));
    }
  }

  /**
   * Publishes an event.
   * @param {string} channel
   * @param {any} [args] any JSON value
   * @param {{timeout?: number, echo?: boolean}} [options] ms to wait for the ACK; `echo: false`:
   *   this connection does not get the event itself, even when subscribed (Juggler EE servers)
   * @returns {Promise<void>} resolves on the ACK
   */
  publish(channel, args, { timeout = this.#timeout, echo = true } = {}) {
    const payload = { channel, args: args ?? null };
    if (echo === false) {
      payload.echo = false;
    }
    return this.#request(PUB, payload, timeout, `publish ${channel}`);
  }

  /**
   * Subscribes to a channel, or to a glob pattern with `{pattern: true}`. The handler also gets
   * events that arrive before the ACK, and keeps getting them across reconnects (on a channel with
   * history, with what was missed meanwhile). `since` ({offset, epoch} of an event the application
   * has already) asks the server for the channel's events after it first; a `recovery` event says
   * if they could not all be had.
   * @param {string} channel
   * @param {(args: any, event: {channel: string, pattern?: string, for: string, offset?: number, epoch?: string}) => void} handler
   * @param {{pattern?: boolean, timeout?: number, since?: {offset: number, epoch: string}}} [options]
   * @returns {Promise<() => Promise<void>>} resolves on the ACK with the unsubscribe function
   */
  async subscribe(channel, handler, { pattern = false, timeout = this.#timeout, since } = {}) {
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    pattern = Boolean(pattern);
    const key = subKey(channel, pattern);
    let sub = this.#subs.get(key);
    if (!sub) {
      sub = { channel, pattern, handlers: new Set(), active: false, position: null };
      this.#subs.set(key, sub);
    }
    const entry = (args, event) => handler(args, event);
    sub.handlers.add(entry);
    const forget = () => {
      sub.handlers.delete(entry);
      const last = sub.handlers.size === 0 && this.#subs.get(key) === sub;
      if (last) this.#subs.delete(key);
      return last;
    };
    try {
      const payload = { channel, pattern };
      if (since && !pattern) {
        payload.recover = { offset: since.offset, epoch: since.epoch };
        sub.position ??= payload.recover;
      }
      const ack = await this.#request(SUB, payload, timeout, `subscribe ${channel}`);
      if (payload.recover) this.#recovered(sub, ack);
    } catch (e) {
      forget();
      throw e;
    }
    sub.active = true;
    let done = false;
    return async () => {
      // the server only needs an UNSB for the last handler, and only on a live connection
      // (a dropped connection took its subscriptions with it)
      if (done) return;
      done = true;
      if (forget() && this.#state === 'open') {
        await this.#request(UNSB, { channel, pattern }, timeout, `unsubscribe ${channel}`);
      }
    };
  }

  /** Closes the connection for good: pending requests reject with {@link DisconnectedError}. */
  close() {
    if (this.#state === 'closed') return;
    clearTimeout(this.#retry);
    const ws = this.#ws;
    this.#ws = null;
    this.#setState('closed');
    ws?.close(1000, 'client closed');
    this.#failAll((p) => new DisconnectedError(`${p.what}: client closed`, 1000, 'client closed'), true);
    this.#subs.clear();
    this.#emit('close', { code: 1000, reason: 'client closed' });
  }

  #request(type, payload, timeout, what) {
    return new Promise((resolve, reject) => {
      if (this.#state === 'closed') {
        reject(new DisconnectedError(`${what}: client closed`));
        return;
      }
      const uuid = randomUuid();
      this.#lastUuid = uuid;
      const frame = JSON.stringify({ meta: { type, uuid }, payload });
      const p = { type, what, frame, sent: false, resolve, reject };
      p.timer = setTimeout(() => this.#settle(uuid, undefined, new ExpiredError(what, timeout)), timeout);
      this.#pending.set(uuid, p);
      if (this.#state === 'open') this.#send(p);
    });
  }

  #send(p) {
    p.sent = true;
    p.generation = this.#generation;
    this.#ws.send(p.frame);
  }

  #settle(uuid, value, error) {
    const p = this.#pending.get(uuid);
    if (!p) return;
    this.#pending.delete(uuid);
    clearTimeout(p.timer);
    error ? p.reject(error) : p.resolve(value);
  }

  #failAll(error, includeQueued) {
    for (const [uuid, p] of this.#pending) {
      if (p.sent || includeQueued) this.#settle(uuid, undefined, error(p));
    }
  }

  #open() {
    this.#setState('connecting');
    const url = withToken(this.#url, this.#token);
    const ws = new this.#WebSocket(
      this.#session ? withParameter(url, 'session', this.#resumeToken ?? 'new') : url,
      SUBPROTOCOL,
    );
    this.#generation++;
    this.#ws = ws;
    ws.onopen = () => ws === this.#ws && this.#connected();
    ws.onmessage = (e) => ws === this.#ws && this.#receive(e.data);
    ws.onclose = (e) => ws === this.#ws && this.#dropped(e.code, e.reason);
    ws.onerror = () => {}; // a close event follows
  }

  #connected() {
    const reconnected = this.#opened;
    this.#opened = true;
    const attempt = this.#attempt;
    this.#attempt = 0;
    this.#setState('open');
    this.#emit('open');
    const resubscribed = [];
    if (reconnected) {
      for (const sub of this.#subs.values()) {
        if (!sub.active) continue;
        const what = `subscribe ${sub.channel} again`;
        const payload = { channel: sub.channel, pattern: sub.pattern };
        // from the last event it got: the server replays what was missed while away
        if (sub.position && !sub.pattern) payload.recover = sub.position;
        const sent = this.#request(SUB, payload, this.#timeout, what).then((ack) => {
          if (payload.recover) this.#recovered(sub, ack);
        });
        resubscribed.push(sent.catch((e) => this.#report(e)));
      }
    }
    for (const p of this.#pending.values()) if (!p.sent) this.#send(p);
    if (reconnected) {
      const ws = this.#ws;
      Promise.all(resubscribed).then(() => ws === this.#ws && this.#emit('reconnect', { attempt }));
    }
  }

  #dropped(code, reason) {
    this.#ws = null;
    const closed = `connection closed (${code}${reason ? ' ' + reason : ''})`;
    const error = (p) => new DisconnectedError(`${p.what}: ${closed} before the answer`, code, reason);
    // when reconnecting, queued requests wait for it, and so do calls of a session (their results
    // come after the resume); other requests sent on this connection may or may not have been done
    const resumes = this.#backoff && this.#resumeToken !== null;
    for (const [uuid, p] of this.#pending) {
      if (!this.#backoff || (p.sent && !(resumes && p.type === CALL))) {
        this.#settle(uuid, undefined, error(p));
      }
    }
    this.#emit('close', { code, reason });
    if (this.#state === 'closed') return;
    if (!this.#backoff) {
      this.#setState('closed');
      this.#subs.clear();
      return;
    }
    const { initialDelay, maxDelay } = this.#backoff;
    const delay = Math.min(maxDelay, initialDelay * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
    this.#attempt++;
    this.#setState('reconnecting');
    this.#retry = setTimeout(() => {
      try {
        this.#open();
      } catch (e) {
        this.#dropped(1006, String(e.message));
      }
    }, delay);
  }

  #receive(data) {
    let m;
    try {
      m = JSON.parse(data);
    } catch {
      return; // like the reference client: unparsable frames are ignored
    }
    const p = m?.payload ?? {};
    switch (m?.meta?.type) {
      case ACK:
        if (p.for_type === 0 && p.session) {
          this.#sessionOpened(p.for, p.session);
        } else if (this.#pending.get(p.for)?.type !== CALL) {
          this.#settle(p.for, p.for_type === SUB ? p : undefined);
        }
        break;
      case NACK:
        this.#settle(p.for, undefined, new NackError(p));
        break;
      case RES:
        if (this.#pending.get(p.for)?.type === CALL) this.#settle(p.for, p.args ?? null);
        break;
      case EVNT: {
        const sub = this.#subs.get(p.pattern != null ? subKey(p.pattern, true) : subKey(p.channel, false));
        const event = { channel: p.channel, pattern: p.pattern, for: p.for };
        if (p.epoch != null) {
          event.offset = p.offset;
          event.epoch = p.epoch;
          if (sub && !sub.pattern) sub.position = { offset: p.offset, epoch: p.epoch };
        }
        for (const handler of sub?.handlers ?? []) {
          try {
            handler(p.args ?? null, event);
          } catch (e) {
            this.#report(e);
          }
        }
        break;
      }
    }
  }

  /** The ACK of a SUB that asked to recover: where the channel is now, and whether all came. */
  #recovered(sub, ack) {
    if (ack?.recovered === undefined) return; // a server without history: nothing was replayed
    if (!ack.recovered) {
      // go on from where the channel is now (the replayed events, if any, move it on otherwise)
      sub.position = ack.epoch != null ? { offset: ack.offset, epoch: ack.epoch } : null;
    }
    this.#emit('recovery', {
      channel: sub.channel,
      recovered: ack.recovered,
      reason: ack.reason,
      offset: ack.offset,
      epoch: ack.epoch,
    });
  }

  /** The session ACK, first on a connection that asked for a session. */
  #sessionOpened(id, session) {
    if (!session.resumed) {
      // the calls made on earlier connections will not be answered here
      const error = (p) =>
        new DisconnectedError(`${p.what}: session not resumed (${session.refused ?? 'new session'})`);
      for (const [uuid, p] of this.#pending) {
        if (p.type === CALL && p.sent && p.generation !== this.#generation) {
          this.#settle(uuid, undefined, error(p));
        }
      }
    }
    this.#resumeToken = session.token || null;
    this.#emit('session', { id, resumed: Boolean(session.resumed), refused: session.refused });
  }

  #setState(state) {
    if (this.#state === state) return;
    this.#state = state;
    this.#emit('state', state);
  }

  #emit(event, arg) {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(arg);
      } catch (e) {
        if (event === 'error') console.error(e);
        else this.#report(e);
      }
    }
  }

  #report(error) {
    if (this.#listeners.get('error')?.size) this.#emit('error', error);
    else console.error(error);
  }
}

function subKey(channel, pattern) {
  return (pattern ? 'p:' : 'c:') + channel;
}

function resolveUrl(url) {
  const base = globalThis.location?.href;
  const u = base ? new URL(url ?? '/ws', base) : new URL(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  if (u.protocol === 'https:') u.protocol = 'wss:';
  return u.href;
}

function withParameter(url, name, value) {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.href;
}

/** `url` with the current token as its `access_token` parameter (none: `url` as is). */
function withToken(url, token) {
  const t = typeof token === 'function' ? token() : token;
  if (!t) return url;
  const u = new URL(url);
  u.searchParams.set('access_token', t);
  return u.href;
}

function randomUuid() {
  const crypto = globalThis.crypto;
  if (crypto.randomUUID) return crypto.randomUUID();
  // randomUUID exists only in secure contexts; plain http pages still have getRandomValues
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
