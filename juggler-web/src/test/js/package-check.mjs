// SPDX-License-Identifier: Apache-2.0
// The npm package seen from a front-end project: run by NpmPackageTest, from a scratch project
// that installed the packed package, as
//   node package-check.mjs exports                   imports it by name, describes its exports
//   node --conditions=types package-check.mjs types  where the "types" condition resolves it to
// and prints one JSON object.
const NAME = '@juggler-ee/client';

if (process.argv[2] === 'types') {
  // Node's own exports resolver, with the condition TypeScript matches enabled
  console.log(JSON.stringify({ resolved: import.meta.resolve(NAME) }));
} else {
  const m = await import(NAME);
  const opened = [];
  class FakeWebSocket {
    constructor(url, protocol) {
      opened.push({ url, protocol });
    }
    close() {}
  }
  const j = m.connect('ws://example.invalid/ws', { WebSocket: FakeWebSocket, session: false });
  const state = j.state;
  j.close();
  const errors = ['NackError', 'ExpiredError', 'DisconnectedError'];
  console.log(
    JSON.stringify({
      resolved: import.meta.resolve(NAME),
      exports: Object.keys(m).sort(),
      kinds: Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v])),
      subprotocol: m.SUBPROTOCOL,
      jugglerErrorIsError: m.JugglerError.prototype instanceof Error,
      errorsAreJugglerErrors: errors.every((e) => m[e].prototype instanceof m.JugglerError),
      connectMakesJuggler: j instanceof m.Juggler,
      opened,
      states: [state, j.state],
    }),
  );
}
