package dev.surge.runtime.cli;

import java.util.Map;

/** {@code surge status}'s tables of a {@link StatusReport}. Pure. */
final class StatusTables {
    private StatusTables() {
    }

    static String render(StatusReport report) {
        StringBuilder s = new StringBuilder();
        s.append("BROKERS\n");
        TextTable brokers = new TextTable().column("NAMESPACE").column("NAME").column("READY").column("ADDRESS")
                .column("TOPIC").optionalColumn("MESSAGE");
        report.brokers().forEach(b -> brokers.row(b.namespace(), b.name(), b.ready(), b.address(), b.topic(),
                b.message()));
        s.append(brokers.isEmpty() ? "(none)\n" : brokers.render());

        s.append("\nTRIGGERS\n");
        TextTable triggers = new TextTable().column("NAMESPACE").column("NAME").column("BROKER").column("TARGET")
                .column("STATE").column("LAG").column("IN FLIGHT").column("DELIVERED").column("DEAD-LETTERED")
                .column("RESTARTS").optionalColumn("MESSAGE");
        report.triggers().forEach(t -> triggers.row(t.namespace(), t.name(), t.broker(), t.target(), t.state(),
                t.lag(), t.inFlight(), t.delivered(), deadLettered(t.deadLettered()), t.restarts(), t.message()));
        s.append(triggers.isEmpty() ? "(none)\n" : triggers.render());
        if (report.counts() != null) {
            s.append(counts(report.counts())).append('\n');
        }

        s.append("\nFUNCTIONS\n");
        TextTable functions = new TextTable().column("NAMESPACE").column("NAME").column("REPLICAS").column("READY")
                .column("LAG").column("DESIRED").column("LAST DECISION").optionalColumn("MESSAGE");
        report.functions().forEach(f -> functions.row(f.namespace(), f.name(), f.replicas(), f.readyReplicas(),
                f.lag(), f.desiredReplicas(), f.reason(), f.message()));
        s.append(functions.isEmpty() ? "(none)\n" : functions.render());
        return s.toString();
    }

    /** Where a cluster's counts come from: summed over the dispatcher pods, each since it started; or unknown. */
    static String counts(StatusReport.Counts counts) {
        String columns = "IN FLIGHT, DELIVERED, DEAD-LETTERED and RESTARTS";
        if (!counts.known()) {
            return columns + " are unknown (-): see the note on standard error.";
        }
        int n = counts.dispatchers().size();
        return columns + " are summed over " + n + " dispatcher pod" + (n == 1 ? "" : "s") + " ("
                + String.join(", ", counts.dispatchers().stream().map(d -> d.namespace() + "/" + d.pod()).toList())
                + "), each counting since it started.";
    }

    /**
     * Events given up on: the sum over the sinks they went to ({@code topic}, {@code uri}, {@code function},
     * {@code none}), and how many of them the sink refused for good too ({@code failed}), e.g. {@code 3 (1 failed)}.
     */
    static String deadLettered(Map<String, Long> bySink) {
        if (bySink == null) {
            return null;
        }
        long total = bySink.entrySet().stream().filter(e -> !e.getKey().equals("failed"))
                .mapToLong(Map.Entry::getValue).sum();
        long failed = bySink.getOrDefault("failed", 0L);
        return failed == 0 ? String.valueOf(total) : total + " (" + failed + " failed)";
    }
}
