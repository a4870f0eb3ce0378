package dev.surge.kubernetes.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.surge.core.resource.InvalidResourcesException;
import dev.surge.core.resource.Problem;
import dev.surge.core.resource.ResourceLoader;
import dev.surge.core.resource.ResourceSet;
import dev.surge.kubernetes.api.Examples.Example;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example goes through both gates a user meets: the reader of {@code surge validate} (the core's
 * ResourceLoader) and the generated CRD as an API server applies it (schema and CEL rules, see
 * {@link CrdValidator}). Where they are meant to agree they must; where they cannot, the example's folder says so.
 */
class ExamplesTest {
    private static final Path BASE = Path.of("/srv/surge");

    static List<Example> valid() {
        return Examples.in("valid");
    }

    static List<Example> invalid() {
        return Examples.in("invalid");
    }

    static List<Example> readerOnly() {
        return Examples.in("reader-only");
    }

    static List<Example> schemaStricter() {
        return Examples.in("schema-stricter");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void aValidExamplePassesTheReaderAndTheCrd(Example example) {
        assertThat(readAlone(example)).isEmpty();
        assertThat(CrdValidator.of(example.kind()).violations(example.document())).isEmpty();
    }

    @Test
    void theValidExamplesTogetherAreOneValidSurgeYaml() throws Exception {
        String file = valid().stream().map(Example::text).collect(Collectors.joining("---\n"));

        ResourceSet set = ResourceLoader.parse(file, "examples/valid", BASE);

        assertThat(set.brokers().size() + set.functions().size() + set.triggers().size()).isEqualTo(valid().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void anInvalidExampleFailsTheReaderAtItsFieldAndTheCrd(Example example) {
        assertThat(example.field()).as("the example's '# field:' line").isNotNull();
        assertThat(readAlone(example)).as("it breaks one rule").extracting(Problem::field)
                .containsOnly(example.field());
        assertThat(surgeValidate(example)).extracting(Problem::field).contains(example.field());
        assertThat(CrdValidator.of(example.kind()).violations(example.document())).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readerOnly")
    void aReaderOnlyExampleFailsTheReaderAtItsFieldButNotTheCrd(Example example) {
        assertThat(readAlone(example)).extracting(Problem::field).containsOnly(example.field());
        assertThat(CrdValidator.of(example.kind()).violations(example.document()))
                .as("the CRD accepts it; if it now refuses it, move the example to invalid/").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaStricter")
    void aSchemaStricterExamplePassesTheReaderButNotTheCrd(Example example) {
        assertThat(readAlone(example)).isEmpty();
        assertThat(CrdValidator.of(example.kind()).violations(example.document())).isNotEmpty();
    }

    @Test
    void everyFolderHoldsExamplesOfEveryKind() {
        assertThat(valid()).extracting(Example::kind).contains("Broker", "Function", "Trigger");
        assertThat(invalid()).extracting(Example::kind).contains("Broker", "Function", "Trigger");
        assertThat(readerOnly()).isNotEmpty();
        assertThat(schemaStricter()).isNotEmpty();
    }

    /** The example read on its own by the core's readers: its own fields, no references. */
    private static List<Problem> readAlone(Example example) {
        return ResourceLoader.readEach(List.of(example.document()), example.toString(), BASE, false).get(0)
                .problems();
    }

    /** What {@code surge validate <example>} reports (references included). */
    private static List<Problem> surgeValidate(Example example) {
        InvalidResourcesException e = catchThrowableOfType(InvalidResourcesException.class,
                () -> ResourceLoader.parse(example.text(), example.toString(), BASE));
        assertThat(e).as("surge validate refuses it").isNotNull();
        return e.problems();
    }
}
