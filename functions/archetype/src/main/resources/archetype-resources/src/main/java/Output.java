package ${package};

/** The data of the reply event. */
public record Output(String message) {
}
