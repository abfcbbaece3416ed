// SPDX-License-Identifier: Apache-2.0
package com.example.greeter;

import io.juggler.callee.CallRequest;
import io.juggler.callee.Callee;
import io.juggler.callee.CalleeFunction;
import io.juggler.message.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code greeter.hello}: greets whoever calls it.
 *
 * <ul>
 *   <li>An authenticated caller (a bearer token, with {@code juggler.auth.mode} {@code optional} or
 *       {@code required}) is greeted by the name the server authenticated, {@link
 *       CallRequest#caller()}: the {@code name} in the args cannot pretend otherwise. An anonymous
 *       caller is greeted by that {@code name}, or as "stranger".
 *   <li>{@code work} (milliseconds) stands for slow work. The function compares it with the time
 *       its caller still waits, {@link CallRequest#remaining()}: work that would end after the
 *       caller stopped waiting is refused at once (the error becomes the RES) rather than run for
 *       nothing; work that starts is interrupted at the deadline anyway.
 *   <li>The answer says which instance served it ({@code greeter.instance}, environment variable
 *       {@code GREETER_INSTANCE}), to see callee-only instances at work.
 * </ul>
 *
 * Called from several worker threads at once: it keeps no state but its setting.
 */
@ApplicationScoped
@Callee("greeter.hello")
public class Hello implements CalleeFunction {

  @Inject
  @ConfigProperty(name = "greeter.instance", defaultValue = "greeter")
  String instance;

  @Override
  public Greeting invoke(CallRequest call) throws InterruptedException {
    HelloArgs args =
        call.args() == null || call.args().isNull() ? new HelloArgs() : call.args(HelloArgs.class);
    Duration left = call.remaining();
    Duration work = Duration.ofMillis(Math.max(0, args.work));
    if (work.compareTo(left) > 0) {
      throw new IllegalArgumentException(
          "the work takes "
              + work.toMillis()
              + " ms and the caller waits "
              + left.toMillis()
              + " ms more: not started");
    }
    Thread.sleep(work.toMillis());

    Optional<Caller> caller = call.caller();
    String name =
        caller
            .map(Caller::name)
            .orElse(args.name == null || args.name.isBlank() ? "stranger" : args.name);
    return new Greeting(
        "Hello, " + name + "!",
        caller.isPresent(),
        caller.map(Caller::roles).orElse(List.of()),
        left.toMillis(),
        instance);
  }
}
