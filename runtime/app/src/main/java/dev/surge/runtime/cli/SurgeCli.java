package dev.surge.runtime.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code surge} command line as {@code Main} runs it (and tests run each command): a usage error prints what is
 * wrong and a one-line hint, as git and kubectl do, instead of the whole help:
 *
 * <pre>
 * surge send: Missing required option: '--type=TYPE'
 * See 'surge send --help'.
 * </pre>
 *
 * and exits with {@link ExitCodes#USAGE}.
 */
public final class SurgeCli {
    private SurgeCli() {
    }

    /** A picocli command line of {@code command} (the top command or one of its subcommands) with that handling. */
    public static CommandLine commandLine(Object command) {
        CommandLine cmd = new CommandLine(command);
        cmd.setParameterExceptionHandler(SurgeCli::usageError);
        return cmd;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = name(cmd.getCommandSpec());
        err.println(name + ": " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + name + " --help'.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** {@code surge status}: the command as typed, also for a subcommand run on its own (as tests do). */
    static String name(CommandSpec spec) {
        String qualified = spec.qualifiedName();
        return qualified.equals("surge") || qualified.startsWith("surge ") ? qualified : "surge " + qualified;
    }
}
