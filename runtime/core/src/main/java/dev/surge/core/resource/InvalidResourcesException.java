package dev.surge.core.resource;

import java.util.List;
import java.util.stream.Collectors;

/** A resource file that cannot be used; carries every problem found, not just the first. */
public class InvalidResourcesException extends Exception {
    private final List<Problem> problems;

    public InvalidResourcesException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
