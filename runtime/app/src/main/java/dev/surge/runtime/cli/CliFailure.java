package dev.surge.runtime.cli;

/**
 * Why a command stopped, with the exit code that says so to a script (see {@link ExitCodes}); printed as
 * {@code surge <command>: <message>} on standard error. Bad arguments are picocli's {@code ParameterException}
 * instead, which {@link SurgeCli} prints with a hint to see the command's {@code --help}.
 */
final class CliFailure extends RuntimeException {
    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
