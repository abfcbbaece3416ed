package io.juggler.callee;

/**
 * A function of the demo ({@code io.juggler.callee.demo}: {@code test.echo}, {@code test.reverse},
 * {@code test.delay}, {@code test.reliable.delay}), served only when {@code
 * juggler.callee.demo.enabled} is true. The demo functions are beans like any other; this mark is
 * how the runtime tells them apart without knowing them.
 */
public interface DemoFunction extends CalleeFunction {}
