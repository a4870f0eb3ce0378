package dev.surge.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatchedNamespacesTest {
    @Test
    void unsetOrBlankMeansAllNamespaces() {
        assertThat(WatchedNamespaces.of(Optional.empty()).all()).isTrue();
        assertThat(WatchedNamespaces.of(Optional.of(List.of(" "))).all()).isTrue();
        assertThat(WatchedNamespaces.of(Optional.empty())).hasToString("all namespaces");
    }

    @Test
    void aListIsTrimmedAndDeduplicated() {
        WatchedNamespaces n = WatchedNamespaces.of(Optional.of(List.of("shop", " billing", "shop")));
        assertThat(n.names()).containsExactly("billing", "shop");
        assertThat(n).hasToString("namespaces billing, shop");
    }

    @Test
    void aNameKubernetesWouldRefuseIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> WatchedNamespaces.of(Optional.of(List.of("Shop_1"))))
                .hasMessageStartingWith("surge.kubernetes.namespaces: 'Shop_1' is not a namespace name");
    }
}
