// SPDX-License-Identifier: Apache-2.0
// The greeter page: one CALL of greeter.hello per click, through Juggler EE's JavaScript client.
import { connect } from './juggler.js';

const $ = (id) => document.getElementById(id);
// the websocket of the server that served this page: ws://host/ws (wss:// under https)
const juggler = connect(new URL('ws', document.baseURI).href.replace(/^http/, 'ws'));

const showState = (state) => {
  $('state').textContent = state;
  $('state').className = state;
};
juggler.on('state', showState);
showState(juggler.state);

$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const answer = $('answer');
  answer.className = '';
  answer.textContent = '…';
  try {
    const result = await juggler.call(
      'greeter.hello',
      { name: $('name').value, work: Number($('work').value) || 0 },
      { timeout: Number($('timeout').value) || 5000 },
    );
    if (result && result.error) {
      // the function threw: the RES carries {"error": {"message": ...}}
      answer.className = 'error';
      answer.textContent = result.error.message;
    } else {
      answer.textContent = `${result.greeting} (served by ${result.instance} with ${result.msLeft} ms to spare)`;
    }
  } catch (e) {
    // NackError (e.code), ExpiredError or DisconnectedError
    answer.className = 'error';
    answer.textContent = `${e.name}: ${e.message}`;
  }
});
