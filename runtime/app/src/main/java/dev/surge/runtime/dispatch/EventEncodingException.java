package dev.surge.runtime.dispatch;

/**
 * An event that cannot be written as an HTTP request in binary mode, e.g. a {@code datacontenttype} or an
 * extension name that is no valid header. Sending it again would fail the same way: the dispatcher
 * dead-letters it at once, with this message as the reason.
 */
public final class EventEncodingException extends RuntimeException {
    public EventEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
