/**
 * The juggler.0 wire protocol: message types and their wire codes, the eight messages, the Redis
 * payloads (calls, results, publications) and the JSON codec with its validation rules.
 *
 * <p>Everything here is pure logic: no container, no Redis. The contract is {@code
 * docs/protocol.md} sections 3 to 6; the "spec section" numbers that comments cite are its section
 * numbers (its last section says where the others went). Where we deliberately differ from a quirk
 * of the reference, {@code docs/protocol-choices.md} says so.
 */
package io.juggler.message;
