package dev.surge.runtime.ingress;

import dev.surge.runtime.config.SurgeConfig;

/**
 * What one event may carry, beyond what the CloudEvents spec requires: bounds that keep every accepted event
 * deliverable as HTTP headers (servers refuse large header sections; Quarkus by default above 20 KiB).
 *
 * @param maxAttributes       context attributes and extensions together, specversion included
 * @param maxAttributeBytes   UTF-8 bytes of one attribute value
 * @param maxHeaderBytes      bytes of the event's binary-mode HTTP headers ({@code ce-} headers and Content-Type),
 *                            as received in binary mode and as they will be sent for delivery
 */
public record EventLimits(int maxAttributes, int maxAttributeBytes, int maxHeaderBytes) {
    public static final EventLimits DEFAULT = new EventLimits(64, 4096, 16384);

    /** The limits of {@code surge.ingress.*}, which also bound the replies of functions. */
    public static EventLimits of(SurgeConfig.Ingress ingress) {
        return new EventLimits(ingress.maxAttributes(), ingress.maxAttributeBytes(), ingress.maxHeaderBytes());
    }

    public EventLimits {
        if (maxAttributes < 4 || maxAttributeBytes < 1 || maxHeaderBytes < 1) {
            throw new IllegalArgumentException("event limits must be positive and allow the 4 required attributes: "
                    + maxAttributes + ", " + maxAttributeBytes + ", " + maxHeaderBytes);
        }
    }
}
