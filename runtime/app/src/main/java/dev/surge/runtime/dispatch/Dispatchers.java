package dev.surge.runtime.dispatch;

import java.util.List;

/** The trigger dispatchers this process runs now, for status and readiness. */
public interface Dispatchers {
    /** Every dispatcher running in this process, in no particular order; empty when none (or not started). */
    List<TriggerDispatcher> all();
}
