package dev.surge.runtime.local;

/**
 * A Java agent given to every function process ({@code -javaagent:parent-watch.jar=<pid>}): when the Surge
 * process that started it dies — even by SIGKILL, which leaves no chance to stop children — the function
 * exits too (gracefully, through its shutdown hooks) instead of running on as an orphan. Functions need no
 * change for it. Self-contained on purpose: {@link ParentWatchAgent} packs this one class into the agent
 * jar.
 */
public final class ParentWatch {
    private ParentWatch() {
    }

    public static void premain(String parentPid) {
        long pid = Long.parseLong(parentPid.trim());
        var parent = ProcessHandle.of(pid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            System.exit(0);
        }
        parent.get().onExit().thenRun(() -> {
            System.err.println("Surge (pid " + pid + ") is gone; stopping this function");
            System.exit(0);
        });
    }
}
