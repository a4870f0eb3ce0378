package dev.surge.runtime.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the commands share: output through picocli's writers (so tests capture it), the environment through a
 * function (so tests pass a map), and a {@link CliFailure} turned into its message and exit code. None of them
 * starts Quarkus: they run in {@code Main.main} before (and instead of) the runtime's boot. Every command inherits
 * this class's {@code @Command} attributes, so {@code --version} prints the version on each of them.
 */
@Command(versionProvider = SurgeVersion.class)
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The process's environment; tests replace it. */
    Function<String, String> env = System::getenv;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    @Override
    public final Integer call() throws Exception {
        try {
            return run();
        } catch (CliFailure e) {
            err().println(SurgeCli.name(spec) + ": " + e.getMessage());
            return e.exitCode();
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** The command's work; returns its exit code (see {@link ExitCodes}). */
    abstract int run() throws Exception;
}
