package io.juggler.client.load;

import io.juggler.client.commandline.CommandLine;
import io.juggler.client.commandline.UsageException;
import java.io.PrintStream;

/**
 * The load generator's entry point.
 *
 * <pre>
 * java -jar juggler-client/target/juggler-load.jar --url ws://localhost:8080/ws \
 *     --connections 100 --concurrency 1 --duration 10s --uri test.echo --payload '"hi"'
 * java -jar juggler-client/target/juggler-load.jar --mode pubsub --subscribers 50 \
 *     --publishers 2 --publish-rate 2000 --duration 10s
 * </pre>
 *
 * <p>Exit status: 0 after a run (errors are in the report), 1 when no connection could be opened, 2
 * for a bad command line.
 */
public final class Load {

  private Load() {}

  public static void main(String[] args) throws InterruptedException {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs with the given arguments; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err)
      throws InterruptedException {
    LoadOptions options;
    try {
      CommandLine.Parsed p = LoadOptions.OPTIONS.parse(args);
      if (p.help()) {
        out.print(LoadOptions.OPTIONS.usage());
        return 0;
      }
      options = LoadOptions.from(p);
    } catch (UsageException e) {
      err.println("juggler-load: " + e.getMessage());
      err.println();
      err.print(LoadOptions.OPTIONS.usage());
      return 2;
    }
    if (!options.quiet()) {
      err.println("juggler-load: " + options.describe() + " against " + options.url());
    }
    if (options.mode() == LoadOptions.Mode.RPC) {
      RpcLoad.Report r = new RpcLoad(options, err).run();
      if (r.connected() == 0) {
        err.println("juggler-load: no connection could be opened: " + r.firstConnectionError());
        return 1;
      }
      out.print(options.json() ? Reports.json(r) + "\n" : Reports.text(r));
    } else {
      PubSubLoad.Report r = new PubSubLoad(options, err).run();
      if (r.subscribersConnected() == 0 || r.publishersConnected() == 0) {
        err.println("juggler-load: no connection could be opened: " + r.firstConnectionError());
        return 1;
      }
      out.print(options.json() ? Reports.json(r) + "\n" : Reports.text(r));
    }
    out.flush();
    return 0;
  }
}
