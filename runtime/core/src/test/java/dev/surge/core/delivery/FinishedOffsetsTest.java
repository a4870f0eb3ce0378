package dev.surge.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FinishedOffsetsTest {

    @Test
    void rangesAreWrittenRelativeToTheCommittedOffsetAndReadBack() {
        FinishedOffsets.Builder b = new FinishedOffsets.Builder();
        b.add(101, 105);
        b.add(106, 116);
        FinishedOffsets f = b.build();
        assertThat(f.encode(100)).isEqualTo(";done=1+4,1+10");
        assertThat(FinishedOffsets.decode(100, "surge1:116:2:0.0000;done=1+4,1+10")).isEqualTo(f);
        assertThat(f.contains(100)).as("the committed offset itself is not finished").isFalse();
        assertThat(f.contains(101)).isTrue();
        assertThat(f.contains(104)).isTrue();
        assertThat(f.contains(105)).as("the event in retry between the ranges").isFalse();
        assertThat(f.contains(115)).isTrue();
        assertThat(f.contains(116)).isFalse();
        assertThat(f.end()).isEqualTo(116);
    }

    @Test
    void touchingRangesMergeAndEmptyOnesAreDropped() {
        FinishedOffsets.Builder b = new FinishedOffsets.Builder();
        b.add(5, 7);
        b.add(7, 9);
        b.add(12, 12);
        assertThat(b.build().encode(4)).isEqualTo(";done=1+4");
        assertThat(new FinishedOffsets.Builder().build()).isSameAs(FinishedOffsets.NONE);
        assertThat(FinishedOffsets.NONE.encode(4)).isEmpty();
    }

    @Test
    void metadataWithoutRangesOrWithUnreadableOnesSkipsNothing() {
        assertThat(FinishedOffsets.decode(10, null)).isEqualTo(FinishedOffsets.NONE);
        assertThat(FinishedOffsets.decode(10, "surge1:12:0:0.0000")).isEqualTo(FinishedOffsets.NONE);
        assertThat(FinishedOffsets.decode(10, "another tool's text")).isEqualTo(FinishedOffsets.NONE);
        assertThat(FinishedOffsets.decode(10, "surge1:12:0:0.0000;done=x+1")).isEqualTo(FinishedOffsets.NONE);
        assertThat(FinishedOffsets.decode(10, "surge1:12:0:0.0000;done=1+0")).isEqualTo(FinishedOffsets.NONE);
        assertThat(FinishedOffsets.decode(10, "surge1:12:0:0.0000;done=-3+2")).isEqualTo(FinishedOffsets.NONE);
        assertThat(FinishedOffsets.decode(10, "surge1:12:0:0.0000;done=1+1;later=x")).isNotEqualTo(FinishedOffsets.NONE);
    }

    @Test
    void tooManyRangesAreCutToTheLowestAndStayWithinKafkasMetadataLimit() {
        FinishedOffsets.Builder b = new FinishedOffsets.Builder();
        boolean all = true;
        for (long o = 1_000_000_001L; o < 1_000_000_001L + 1000 * 3; o += 3) {
            all &= b.add(o, o + 2);
        }
        assertThat(all).as("more than MAX_RANGES were offered").isFalse();
        FinishedOffsets f = b.build();
        assertThat(f.contains(1_000_000_001L)).isTrue();
        assertThat(f.end()).isEqualTo(1_000_000_001L + 3 * (FinishedOffsets.MAX_RANGES - 1) + 2);
        String encoded = f.encode(1_000_000_000L);
        assertThat(encoded.length()).isLessThan(2048);
        assertThat(FinishedOffsets.decode(1_000_000_000L, "surge1:1:0:0.0000" + encoded)).isEqualTo(f);
    }
}
