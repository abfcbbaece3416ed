package io.juggler.callee;

/**
 * A function served over juggler.0. Implementations are CDI beans annotated with {@link Callee};
 * they may be called from several worker threads at once, so they must be thread-safe.
 */
@FunctionalInterface
public interface CalleeFunction {

  /**
   * Runs the function. The return value becomes the RES {@code args}: a {@link
   * io.juggler.message.RawJson} or {@code jakarta.json.JsonValue} is sent as is, anything else is
   * serialised with JSON-B ({@code null} becomes JSON null). A thrown exception becomes {@code
   * {"error":{"message":...}}}, or the exception's own JSON if it implements {@link CalleeError}.
   */
  Object invoke(CallRequest call) throws Exception;
}
