package dev.surge.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StaticTokensTest {
    @Test
    void oneTokenALineWithoutCommentsBlankLinesOrSurroundingSpace() {
        StaticTokens tokens = StaticTokens.parse("""
                # orders, rotated 2026-11
                  c2VjcmV0LXRva2VuLW9uZQ\t

                c2VjcmV0LXRva2VuLXR3bw\r
                """);
        assertThat(tokens.accepts("c2VjcmV0LXRva2VuLW9uZQ")).isTrue();
        assertThat(tokens.accepts("c2VjcmV0LXRva2VuLXR3bw")).isTrue();
        assertThat(tokens.accepts("c2VjcmV0LXRva2VuLW9uZ")).isFalse();
        assertThat(tokens.accepts("# orders, rotated 2026-11")).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(tokens.accepts(null)).isFalse();
        assertThat(tokens.rejected()).isEmpty();
    }

    @Test
    void aShortOrUnsendableTokenIsLeftOutAndSaidWhereNeverWhat() {
        StaticTokens tokens = StaticTokens.parse("short\nlong enough but has spaces\nc2VjcmV0LXRva2VuLW9uZQ\n");
        assertThat(tokens.accepts("short")).isFalse();
        assertThat(tokens.accepts("long enough but has spaces")).isFalse();
        assertThat(tokens.accepts("c2VjcmV0LXRva2VuLW9uZQ")).isTrue();
        assertThat(tokens.rejected()).containsExactly("line 1: a token needs at least 16 characters",
                "line 2: a token is visible ASCII without spaces (as an HTTP header carries it)");
    }

    @Test
    void noLinesNoTokens() {
        assertThat(StaticTokens.parse("# none yet\n").isEmpty()).isTrue();
        assertThat(StaticTokens.NONE.accepts("c2VjcmV0LXRva2VuLW9uZQ")).isFalse();
    }
}
