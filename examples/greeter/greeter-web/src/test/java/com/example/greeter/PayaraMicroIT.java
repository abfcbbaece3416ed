// SPDX-License-Identifier: Apache-2.0
package com.example.greeter;

import java.nio.file.Path;
import java.util.Map;

/** The greeter on Payara Micro: one JVM per instance, {@code java -jar payara-micro.jar}. */
class PayaraMicroIT extends GreeterContract {

  @Override
  AppServer start(String name, Path war, Map<String, String> env) throws Exception {
    return AppServer.payaraMicro("payara-" + name, war, env);
  }
}
