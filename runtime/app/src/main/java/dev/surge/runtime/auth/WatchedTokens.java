package dev.surge.runtime.auth;

import dev.surge.core.auth.StaticTokens;

/**
 * The tokens of a {@code tokens} policy as they are now: a token file or a Secret's key, followed while Surge
 * runs, so that tokens rotate without a restart. Missing or unreadable means no tokens (every request refused).
 */
public interface WatchedTokens extends AutoCloseable {
    StaticTokens current();

    /** Looks again, for sources that are polled; called about once a second. */
    default void refresh() {
    }

    @Override
    default void close() {
    }
}
