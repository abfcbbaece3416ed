/**
 * Payara's websocket stack (Tyrus on Grizzly) made safe against what a hostile client can send
 * during the upgrade. Nothing here is loaded on runtimes without Tyrus (Open Liberty).
 *
 * <p>The defect: {@code TyrusHttpUpgradeHandler.init} registers its read listener before it has
 * created its connection, and waits on a latch in {@code onDataAvailable} for that connection. When
 * the client sent a frame in the same TCP write as the upgrade request, the container calls {@code
 * onDataAvailable} from inside {@code setReadListener}, on the thread that is still in {@code
 * init}: the HTTP worker waits for itself, for good. {@link OrderedUpgradeHandler} runs the same
 * two steps in the order that cannot deadlock; {@link PipelinedUpgradeGuard} makes the container
 * use it. See docs/security.md.
 */
package io.juggler.server.tyrus;
