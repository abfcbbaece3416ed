/**
 * The demo functions {@code test.echo}, {@code test.reverse} and {@code test.delay} (spec section
 * 11.3), registered by the callee runtime when {@code juggler.callee.demo.enabled} is true. They
 * behave as the reference demo callee with string arguments, and also accept any JSON for echo and
 * a JSON integer for delay.
 */
package io.juggler.callee.demo;
