package dev.surge.runtime.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code surge --version} (and {@code --version} of every command) prints: this Surge's version, written in
 * at build time ({@code surge-version.properties}), and the Java it runs on.
 */
public final class SurgeVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"surge " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }

    /** The version of the build, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        try (InputStream in = SurgeVersion.class.getResourceAsStream("surge-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("surge-version.properties is missing from the runtime");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
