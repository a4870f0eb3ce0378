package dev.surge.runtime.dispatch;

import io.cloudevents.CloudEvent;
import java.net.URI;

/** One matching event on its way to the target, through its attempts. Used on the engine's context only. */
final class Delivery {
    final Lanes.Lane lane;
    final long offset;
    final String key;
    final CloudEvent event;
    /** What it holds in memory, for the lanes' byte bounds. */
    final long bytes;
    int attempts;
    URI target;
    DeliveryResult lastAnswer;
    /** Finished (delivered or dead-lettered): a second report of it changes nothing. */
    boolean finished;

    Delivery(Lanes.Lane lane, long offset, String key, CloudEvent event, long bytes) {
        this.lane = lane;
        this.offset = offset;
        this.key = key;
        this.event = event;
        this.bytes = bytes;
    }
}
