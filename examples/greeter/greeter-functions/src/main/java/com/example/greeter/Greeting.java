// SPDX-License-Identifier: Apache-2.0
package com.example.greeter;

import java.util.List;

/**
 * The answer of {@code greeter.hello}, serialised with JSON-B into the RES.
 *
 * @param greeting the greeting
 * @param authenticated whether the server authenticated the caller
 * @param roles the caller's roles (none for an anonymous caller)
 * @param msLeft how long the caller was still waiting when the function started: the CALL's timeout
 *     less the time it spent reaching the function
 * @param instance the instance that served the call
 */
public record Greeting(
    String greeting, boolean authenticated, List<String> roles, long msLeft, String instance) {}
