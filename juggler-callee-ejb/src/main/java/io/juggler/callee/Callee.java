package io.juggler.callee;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a {@link CalleeFunction} bean to the URI it serves:
 *
 * <pre>{@code
 * @ApplicationScoped
 * @Callee("billing.invoice.total")
 * public class InvoiceTotal implements CalleeFunction {
 *   public Object invoke(CallRequest call) {
 *     Invoice invoice = call.args(Invoice.class);
 *     return Map.of("total", invoice.total());
 *   }
 * }
 * }</pre>
 *
 * Two functions bound to one URI stop the deployment.
 *
 * <p>A function only some callers may use names their roles, here ({@code @Callee(value = "...",
 * roles = "billing")}) or with {@code @RolesAllowed} on the class: a call without a caller holding
 * one of them (see {@link CallRequest#caller()}) is not run, and its result is an error object with
 * {@code code} 403 (401 for an anonymous caller).
 *
 * <p>A function whose calls must survive a callee's death declares {@code @Callee(value =
 * "billing.invoice.total", delivery = Delivery.AT_LEAST_ONCE)} (see {@link Delivery}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Callee {

  /** The URI, used verbatim in the Redis key {@code juggler:calls:{uri}}. */
  String value();

  /** Roles of which the caller must hold one; none: anyone may call. */
  String[] roles() default {};

  /**
   * How its calls are delivered: at most once (the reference's way, the default) or at least once.
   */
  Delivery delivery() default Delivery.AT_MOST_ONCE;
}
