/**
 * The demo functions {@code test.echo}, {@code test.reverse}, {@code test.delay} (spec section
 * 11.3) and {@code test.reliable.delay}: beans marked {@link io.juggler.callee.DemoFunction}, which
 * the callee runtime serves only when {@code juggler.callee.demo.enabled} is true. They behave as
 * the reference demo callee with string arguments, and also accept any JSON for echo and a JSON
 * integer for delay.
 */
package io.juggler.callee.demo;
