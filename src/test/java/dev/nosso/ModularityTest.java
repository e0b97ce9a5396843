package dev.nosso;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** The folder tree is the architecture: dependencies point downward and no module reaches into another. */
class ModularityTest {

    @Test
    void dependenciesPointDownwardAndNoModuleReachesIntoAnother() {
        ApplicationModules.of(NossoApplication.class).verify();
    }
}
