package dev.surge.runtime.local;

import java.util.Optional;

/**
 * Local mode's functions as this process runs them, for the {@code /functions} endpoints: empty when the
 * process does not run the scaler role (or functions are disabled).
 */
public interface LocalFunctions {
    Optional<FunctionSupervisor> supervisor();

    Optional<LocalScaler> scaler();
}
