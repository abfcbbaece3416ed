// SPDX-License-Identifier: Apache-2.0
package com.example.greeter;

import java.nio.file.Path;
import java.util.Map;

/** The greeter on Open Liberty: one server per instance, {@code wlp/bin/server run}. */
class OpenLibertyIT extends GreeterContract {

  @Override
  AppServer start(String name, Path war, Map<String, String> env) throws Exception {
    return AppServer.openLiberty("liberty-" + name, war, env);
  }
}
