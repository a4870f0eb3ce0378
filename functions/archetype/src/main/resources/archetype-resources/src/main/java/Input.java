package ${package};

/** The data of the event the function answers, from its JSON body. */
public record Input(String name) {
}
