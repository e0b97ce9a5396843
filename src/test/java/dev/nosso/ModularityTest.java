package dev.nosso;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.ApplicationModule;
import org.springframework.modulith.core.ApplicationModuleInformation;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The folder tree is the architecture. Spring Modulith's {@code verify()} fails on a cycle, on a module reaching
 * into another's internals, and on a dependency that a module's {@code allowedDependencies} does not list. Two
 * rules go further: each list names exactly what its module uses (a stale entry would let a wrong arrow in
 * without a word), and every arrow points down the layers of the design, so a new dependency has to fit the
 * picture in docs/architecture.md, not only be added to a list.
 */
class ModularityTest {

    private static final ApplicationModules MODULES = ApplicationModules.of(NossoApplication.class);

    /**
     * The layers, top first: a module may use the modules of the layers below its own, never one beside it or
     * above it. The APIs that only the outside calls sit on top; identity and platform at the bottom.
     */
    private static final List<Set<String>> LAYERS = List.of(
            Set.of("openai", "copy", "backup", "web", "transfer", "share"),
            Set.of("generation", "search"),
            Set.of("chat", "knowledge"),
            Set.of("memory", "preset"),
            Set.of("retrieval"),
            Set.of("provider", "usage"),
            Set.of("identity"),
            Set.of("platform"));

    @Test
    void noCycleAndNoModuleReachesIntoAnother() {
        MODULES.verify();
    }

    @Test
    void eachModuleAllowsExactlyTheModulesItUses() {
        Map<String, Set<String>> allowed = new TreeMap<>();
        MODULES.stream().forEach(module -> {
            List<String> declared = ApplicationModuleInformation.of(module.getBasePackage()).getDeclaredDependencies();
            assertThat(declared).as("%s must declare its allowedDependencies", module.getIdentifier())
                    .doesNotContain(ApplicationModule.OPEN_TOKEN);
            // "knowledge::storage" allows one named interface of knowledge: a use of knowledge all the same.
            allowed.put(module.getIdentifier().toString(), declared.stream().map(d -> d.split("::")[0].strip())
                    .collect(Collectors.toCollection(TreeSet::new)));
        });
        assertThat(allowed).as("each module's allowedDependencies, expected to be what its code uses").isEqualTo(uses());
    }

    @Test
    void everyModuleSitsInOneLayerAndUsesOnlyTheLayersBelowIt() {
        Map<String, Set<String>> uses = uses();
        assertThat(LAYERS.stream().flatMap(Set::stream).toList()).containsExactlyInAnyOrderElementsOf(uses.keySet());
        assertThat(arrowsNotPointingDown(uses)).isEmpty();
    }

    @Test
    void anArrowSidewaysOrUpwardIsCaught() {
        Map<String, Set<String>> uses = Map.of(
                "retrieval", Set.of("provider", "chat"),
                "chat", Set.of("knowledge", "memory"),
                "platform", Set.of("identity"));

        assertThat(arrowsNotPointingDown(uses))
                .containsExactlyInAnyOrder("retrieval -> chat", "chat -> knowledge", "platform -> identity");
    }

    /** Each module's name and the names of the modules its code uses (types, calls, beans, events). */
    private static Map<String, Set<String>> uses() {
        Map<String, Set<String>> uses = new TreeMap<>();
        MODULES.stream().forEach(module -> uses.put(module.getIdentifier().toString(),
                module.getDirectDependencies(MODULES).uniqueModules()
                        .map(used -> used.getIdentifier().toString())
                        .collect(Collectors.toCollection(TreeSet::new))));
        return uses;
    }

    private static List<String> arrowsNotPointingDown(Map<String, Set<String>> uses) {
        List<String> wrong = new ArrayList<>();
        uses.forEach((module, used) -> used.stream()
                .filter(target -> layerOf(target) <= layerOf(module))
                .forEach(target -> wrong.add(module + " -> " + target)));
        return wrong;
    }

    private static int layerOf(String module) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(module)) {
                return i;
            }
        }
        throw new IllegalArgumentException(module + " is in no layer");
    }
}
