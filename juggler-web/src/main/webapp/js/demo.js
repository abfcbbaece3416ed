// SPDX-License-Identifier: Apache-2.0
// The demo page: every button is one juggler.js call, and everything that happens goes to the log.
import { connect } from './juggler.js';

const $ = (id) => document.getElementById(id);
const url = new URL('ws', document.baseURI).href.replace(/^http/, 'ws');
const j = connect(url);
$('url').textContent = url;

function log(kind, text) {
  const li = document.createElement('li');
  li.className = kind;
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  $('log').prepend(li);
}

const show = (value) => JSON.stringify(value);

function parse(id) {
  const text = $(id).value.trim();
  return text === '' ? null : JSON.parse(text);
}

j.on('state', (state) => {
  $('state').textContent = state;
  $('state').className = state;
});
j.on('close', (e) => log('info', `connection closed (${e.code}${e.reason ? ' ' + e.reason : ''})`));
j.on('open', () => log('info', 'connected'));
j.on('reconnect', () => log('info', 'reconnected, subscriptions renewed'));
$('state').textContent = j.state;
$('state').className = j.state;

async function call(uri, args) {
  const timeout = Number($('timeout').value) || 5000;
  log('info', `call ${uri} ${show(args)}`);
  const started = performance.now();
  try {
    const result = await j.call(uri, args, { timeout });
    log('res', `${uri} → ${show(result)} (${Math.round(performance.now() - started)} ms)`);
  } catch (e) {
    log('error', `${uri} failed: ${e.name}: ${e.message}${e.code ? ` [${e.code}]` : ''}`);
  }
}

$('call').onclick = () => {
  try {
    call($('uri').value, parse('call-args'));
  } catch (e) {
    log('error', `args are not JSON: ${e.message}`);
  }
};

for (const button of document.querySelectorAll('.preset')) {
  button.onclick = () => {
    $('uri').value = button.dataset.uri;
    $('call-args').value = button.dataset.args;
    call(button.dataset.uri, JSON.parse(button.dataset.args));
  };
}

$('subscribe').onclick = async () => {
  const channel = $('channel').value;
  const pattern = $('pattern').checked;
  const name = pattern ? `pattern ${channel}` : channel;
  try {
    const unsubscribe = await j.subscribe(
      channel,
      (args, e) => log('event', `${e.channel}${e.pattern ? ` (via ${e.pattern})` : ''}: ${show(args)}`),
      { pattern },
    );
    log('info', `subscribed to ${name}`);
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.textContent = 'unsubscribe';
    button.onclick = async () => {
      li.remove();
      await unsubscribe().catch((e) => log('error', e.message));
      log('info', `unsubscribed from ${name}`);
    };
    li.append(`${name} `, button);
    $('subscriptions').append(li);
  } catch (e) {
    log('error', `subscribe ${name} failed: ${e.name}: ${e.message}`);
  }
};

$('publish').onclick = async () => {
  const channel = $('channel').value;
  try {
    const args = parse('pub-args');
    await j.publish(channel, args);
    log('info', `published to ${channel}: ${show(args)}`);
  } catch (e) {
    log('error', `publish ${channel} failed: ${e.name}: ${e.message}`);
  }
};

$('clear').onclick = () => $('log').replaceChildren();
