// SPDX-License-Identifier: Apache-2.0
// The fault suite's JavaScript client (scenario 4): juggler.js under Node, through the load
// balancer, calling one URI every <interval> ms for <duration> ms while the suite kills a server.
//   node [--experimental-websocket] js-client.mjs <juggler.js> <ws url> <uri> <duration ms>
//        <interval ms> <timeout ms>
// Prints one JSON object: counts by outcome, and each drop and reconnect (ms since start).
import { pathToFileURL } from 'node:url';

const [modulePath, url, uri, duration, interval, timeout] = process.argv.slice(2);
const { connect, NackError, ExpiredError, DisconnectedError } = await import(
  pathToFileURL(modulePath).href
);

const start = Date.now();
const j = connect(url, { timeout: Number(timeout), reconnect: { initialDelay: 100, maxDelay: 1000 } });
const counts = { sent: 0, res: 0, nack: 0, expired: 0, disconnected: 0, other: 0 };
const states = [];
j.on('state', (s) => states.push({ at: Date.now() - start, state: s }));
const pending = [];
const timer = setInterval(() => {
  counts.sent++;
  pending.push(
    j.call(uri, '50').then(
      () => counts.res++,
      (e) => {
        if (e instanceof NackError) counts.nack++;
        else if (e instanceof ExpiredError) counts.expired++;
        else if (e instanceof DisconnectedError) counts.disconnected++;
        else counts.other++;
      },
    ),
  );
}, Number(interval));
await new Promise((r) => setTimeout(r, Number(duration)));
clearInterval(timer);
await Promise.allSettled(pending);
console.log(JSON.stringify({ ...counts, states, finalState: j.state }));
j.close();
