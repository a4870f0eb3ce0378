package dev.surge.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void columnsAreAlignedTwoSpacesApartWithDashesForMissingValues() {
        String t = new TextTable().column("NAME").column("LAG").column("WHY")
                .row("greeter", 12, "scale up: lag 12")
                .row("payment-service", null, "")
                .render();
        assertThat(t).isEqualTo("""
                NAME             LAG  WHY
                greeter          12   scale up: lag 12
                payment-service  -    -
                """);
    }

    @Test
    void anOptionalColumnIsShownOnlyWhenARowHasAValue() {
        TextTable t = new TextTable().column("NAME").optionalColumn("MESSAGE").row("a", null);
        assertThat(t.render()).isEqualTo("NAME\na\n");
        t.row("b", "stopped: crashed 21 times");
        assertThat(t.render()).isEqualTo("""
                NAME  MESSAGE
                a     -
                b     stopped: crashed 21 times
                """);
    }
}
