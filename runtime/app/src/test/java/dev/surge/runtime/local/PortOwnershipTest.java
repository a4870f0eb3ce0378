package dev.surge.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortOwnershipTest {
    private static final List<String> TCP = List.of(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 111 1 0",
            "   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 222 1 0",
            "   2: 00000000:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 333 1 0",
            "   3: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 444 1 0");
    private static final List<String> TCP6 = List.of(
            "  sl  local_address                         remote_address                        st tx_queue ...",
            "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 "
                    + "00:00000000 00000000  1000        0 555 1 0");

    @Test
    void findsOnlyTheListeningSocketsOfThePort() {
        assertThat(PortOwnership.listeningInodes(TCP, 8080)).as("8080 = 1F90; an established connection is no listener")
                .containsExactly("111");
        assertThat(PortOwnership.listeningInodes(TCP, 8081)).containsExactly("333");
        assertThat(PortOwnership.listeningInodes(TCP, 50000)).as("C350 only as a connection's port").isEmpty();
        assertThat(PortOwnership.listeningInodes(TCP6, 8080)).containsExactly("555");
    }

    @Test
    void tellsThisProcessFromAnotherOnARealPort() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux's /proc");
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = listener.getLocalPort();
            assertThat(PortOwnership.listens(ProcessHandle.current().pid(), port)).contains(true);
            long other = ProcessHandle.current().parent().orElseThrow().pid();
            assertThat(PortOwnership.listens(other, port)).contains(false);
        }
    }
}
