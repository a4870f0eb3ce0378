package dev.surge.runtime.auth;

import dev.surge.core.auth.StaticTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jboss.logging.Logger;

/**
 * A file of tokens, one a line, read again on every {@link #refresh()} and compared by content (so any way of
 * saving it works, also Kubernetes' swap of a mounted Secret's symlink). A file that is missing or unreadable
 * holds no tokens: deleting it revokes them all.
 */
final class TokenFile implements WatchedTokens {
    private static final Logger LOG = Logger.getLogger(TokenFile.class);

    private final Path file;
    private final String guarded;
    private volatile StaticTokens tokens = StaticTokens.NONE;
    private byte[] content;
    private String problem;

    TokenFile(Path file, String guarded) {
        this.file = file;
        this.guarded = guarded;
        refresh();
    }

    @Override
    public StaticTokens current() {
        return tokens;
    }

    @Override
    public synchronized void refresh() {
        byte[] now;
        try {
            now = Files.readAllBytes(file);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "it does not exist" : e.toString();
            if (!why.equals(problem)) {
                LOG.errorf("%s: the token file %s cannot be read (%s): every request with a token is refused until"
                        + " it can", guarded, file, why);
            }
            problem = why;
            content = null;
            tokens = StaticTokens.NONE;
            return;
        }
        problem = null;
        if (Arrays.equals(now, content)) {
            return;
        }
        boolean first = content == null;
        content = now;
        StaticTokens read = StaticTokens.parse(new String(now, StandardCharsets.UTF_8));
        tokens = read;
        read.rejected().forEach(r -> LOG.warnf("%s: token file %s, %s; that line is left out", guarded, file, r));
        LOG.infof("%s: %d token(s) %s from %s", guarded, read.digests().size(), first ? "read" : "read again", file);
    }
}
