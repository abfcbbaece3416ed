package io.juggler.message;

/**
 * One juggler.0 message. {@link #uuid()} is the message's own {@code meta.uuid}, always in
 * lowercase dashed form.
 */
public sealed interface Message permits Call, Pub, Sub, Unsb, Ack, Nack, Res, Evnt, SessionAck {

  MessageType type();

  String uuid();
}
