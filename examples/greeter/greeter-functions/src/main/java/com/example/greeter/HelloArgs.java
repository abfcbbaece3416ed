// SPDX-License-Identifier: Apache-2.0
package com.example.greeter;

/**
 * The args of {@code greeter.hello}, bound with JSON-B: {@code {"name": "Ada", "work": 200}}, both
 * optional.
 */
public class HelloArgs {

  /** Whom to greet when the caller is anonymous. */
  public String name;

  /** Milliseconds of (pretend) work before the answer. */
  public long work;
}
