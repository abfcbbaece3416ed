/**
 * The Go reference's binaries, for compatibility tests that run them when this machine has them
 * ({@link io.juggler.testing.reference.ReferenceBinaries}).
 */
package io.juggler.testing.reference;
