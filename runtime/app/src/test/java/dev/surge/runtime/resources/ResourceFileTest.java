package dev.surge.runtime.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The watched resource file: a change is seen by content; an invalid edit is refused and the last set kept. */
class ResourceFileTest {
    private static final String BROKER = "apiVersion: surge.dev/v1alpha1\nkind: Broker\nmetadata: {name: b, namespace: n}\n";

    @Test
    void seesChangesByContentAndRefusesInvalidEdits() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "resource-file-" + System.nanoTime()));
        Path file = dir.resolve("surge.yaml");
        Files.writeString(file, BROKER);
        ResourceFile source = ResourceFile.open(file);
        assertThat(source.current().brokers()).hasSize(1);
        assertThat(source.poll()).as("unchanged").isEmpty();

        Files.writeString(file, "# a comment changes no resource\n" + BROKER);
        assertThat(source.poll()).as("same resources").isEmpty();

        Files.writeString(file, BROKER + "---\n" + BROKER.replace("name: b", "name: c"));
        assertThat(source.poll()).hasValueSatisfying(set -> assertThat(set.brokers()).hasSize(2));

        Files.writeString(file, BROKER + "---\nkind: Trigger\n");
        assertThat(source.poll()).as("invalid").isEmpty();
        assertThat(source.current().brokers()).as("the last valid set stays").hasSize(2);

        Files.delete(file);
        assertThat(source.poll()).as("gone for a moment while an editor replaces it").isEmpty();
        assertThat(source.current().brokers()).hasSize(2);
    }
}
