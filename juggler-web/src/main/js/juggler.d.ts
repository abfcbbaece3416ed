// SPDX-License-Identifier: Apache-2.0
// Type declarations for juggler.js, the Juggler EE client for browsers and Node.

/** The only subprotocol spoken. */
export const SUBPROTOCOL: 'juggler.0';

/** Root of the errors the client rejects with. */
export class JugglerError extends Error {}

/** The server refused the request (a NACK). */
export class NackError extends JugglerError {
  /**
   * HTTP-like status (docs/protocol.md, section 4): 400 bad request, 401 not allowed without
   * authentication, 403 not allowed, 404 no callee serves the URI (opt-in), 409 uuid already
   * pending, 413 name or args too large, 429 rate or quota exceeded, 500 queue full or Redis error,
   * 503 Redis unreachable or expected queue wait too long: retry later.
   */
  readonly code: number;
  readonly uri?: string;
  readonly channel?: string;
}

/** No answer within the timeout; for a call, the local expiry (the reference client's EXP). */
export class ExpiredError extends JugglerError {
  /** The timeout that passed, in ms. */
  readonly timeout: number;
}

/** The connection closed, or the client was closed, before the answer came. */
export class DisconnectedError extends JugglerError {
  /** Websocket close code, when a close frame (or 1006) was seen. */
  readonly code?: number;
  readonly reason?: string;
}

export interface JugglerOptions {
  /** Default timeout in ms for calls and for awaiting ACKs. Default 60000. */
  timeout?: number;
  /** Websocket implementation (e.g. from the `ws` package). Default `globalThis.WebSocket`. */
  WebSocket?: new (url: string, protocols?: string | string[]) => WebSocket;
  /** Reconnect back-off in ms (default 500 doubling up to 30000), or `false` not to reconnect. */
  reconnect?: { initialDelay?: number; maxDelay?: number } | false;
  /**
   * Bearer token (a signed JWT), or a function asked for the current one at every (re)connection;
   * sent as the `access_token` query parameter (the server must allow it:
   * `juggler.auth.query-token=true`). A token cookie of the page's own origin needs no option.
   */
  token?: string | (() => string | undefined);
  /**
   * Ask for a resumable session (default `true`), so that calls pending when the connection drops
   * get their results after the reconnect, from any Juggler EE server (docs/protocol.md 2.8).
   */
  session?: boolean;
}

export type JugglerState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** What a subscription handler gets besides the event's args. */
export interface JugglerEvent {
  /** The channel the event was published on. */
  channel: string;
  /** The pattern that matched, for a pattern subscription. */
  pattern?: string;
  /** The uuid of the PUB that produced the event. */
  for: string;
  /** Its position in the channel's history, on a channel that keeps one (Juggler EE). */
  offset?: number;
  /** The history's epoch, with `offset`. */
  epoch?: string;
}

/** A position in a channel's history: an event's offset and the history's epoch. */
export interface JugglerPosition {
  offset: number;
  epoch: string;
}

export interface JugglerEvents {
  state: JugglerState;
  open: undefined;
  close: { code: number; reason: string };
  /** After a reconnect, once the active subscriptions are renewed. */
  reconnect: { attempt: number };
  /**
   * The server opened the connection's session, or resumed it after a reconnect; `refused` says
   * why a token was not accepted (`expired`, `invalid`, `foreign`, `unavailable`, `disabled`):
   * the calls made before the drop then rejected with `DisconnectedError`.
   */
  session: { id: string; resumed: boolean; refused?: string };
  /**
   * A subscription that asked to recover missed events was (re)made: `recovered: false` means
   * events were lost (`reason`: `epoch changed`, `history gone`, `too much missed`, `no history`).
   */
  recovery: {
    channel: string;
    recovered: boolean;
    reason?: string;
    offset?: number;
    epoch?: string;
  };
  /** A failed re-subscription, or an exception thrown by a handler or listener. */
  error: unknown;
}

/** Opens a client; shorthand for `new Juggler(url, options)`. */
export function connect(url?: string, options?: JugglerOptions): Juggler;

/** One juggler connection, reopened with back-off when it drops. */
export class Juggler {
  /** @param url websocket URL; in a browser also relative (`/ws`, the default) or http(s). */
  constructor(url?: string, options?: JugglerOptions);
  readonly url: string;
  readonly state: JugglerState;
  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof JugglerEvents>(event: K, listener: (arg: JugglerEvents[K]) => void): () => void;
  /** Resolves once the connection is open. */
  ready(): Promise<this>;
  /**
   * Calls a remote function: resolves with the result, rejects with NackError, ExpiredError or
   * DisconnectedError. `timeout` (ms) is sent to the server and timed locally.
   */
  call<T = unknown>(
    uri: string,
    args?: unknown,
    options?: {
      timeout?: number;
      /**
       * Cancels the call when aborted: the promise rejects with the signal's reason, and a
       * Juggler EE server removes the call, or tells the callee running it to stop.
       */
      signal?: AbortSignal;
    },
  ): Promise<T>;
  /**
   * Publishes an event; resolves on the ACK. `echo: false`: this connection does not get the event
   * itself, even when subscribed to the channel (Juggler EE servers; the reference's deliver it).
   */
  publish(channel: string, args?: unknown, options?: { timeout?: number; echo?: boolean }): Promise<void>;
  /**
   * Subscribes (to a glob pattern with `pattern: true`); resolves on the ACK with the
   * unsubscribe function. The handler keeps getting events across reconnects, on a channel with
   * history with those missed meanwhile; `since` asks for the events after a position first.
   */
  subscribe<T = unknown>(
    channel: string,
    handler: (args: T, event: JugglerEvent) => void,
    options?: { pattern?: boolean; timeout?: number; since?: JugglerPosition },
  ): Promise<() => Promise<void>>;
  /** Closes for good; pending requests reject with DisconnectedError. */
  close(): void;
}
