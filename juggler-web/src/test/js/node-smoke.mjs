// SPDX-License-Identifier: Apache-2.0
// juggler.js from Node: run by JavascriptClientIT as
//   node [--experimental-websocket (Node 20)] node-smoke.mjs <module> <ws url>
// where <module> is the path of juggler.js, or the npm package's name (resolved from this
// script's folder: a project that installed it), and prints one JSON object with what it saw;
// exits 1 on failure.
import { pathToFileURL } from 'node:url';

const [module, url] = process.argv.slice(2);
const specifier = module.endsWith('.js') ? pathToFileURL(module).href : module;
const { connect, NackError } = await import(specifier);

const j = connect(url, { timeout: 10000 });
try {
  const echo = await j.call('test.echo', { from: 'node', n: [1, 2] });
  const reversed = await j.call('test.reverse', 'node');
  let nack = null;
  try {
    await j.call('test.echo', 1, { timeout: -5 });
  } catch (e) {
    nack = { nackError: e instanceof NackError, code: e.code };
  }
  const channel = `node.${crypto.randomUUID()}`;
  let received;
  const event = new Promise((resolve) => (received = resolve));
  await j.subscribe(channel, (args) => received(args));
  await j.publish(channel, { hello: 'node' });
  console.log(JSON.stringify({ echo, reversed, nack, received: await event, state: j.state }));
} catch (e) {
  console.log(JSON.stringify({ error: `${e.name}: ${e.message}` }));
  process.exitCode = 1;
} finally {
  j.close();
}
