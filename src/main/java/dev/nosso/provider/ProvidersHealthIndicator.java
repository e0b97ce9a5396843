package dev.nosso.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code providers} component of {@code /actuator/health}: each enabled connection's health, as the
 * catalog last found it. Always {@code UP}: an unreachable provider is a fact about that provider, not about
 * this server, and a load balancer must not take a node out because Ollama is down. It never calls a
 * provider; with no catalog cached it starts a fetch in the background and says so.
 */
@Component("providersHealthIndicator")
class ProvidersHealthIndicator implements HealthIndicator {

    private final ModelCatalog catalog;

    ProvidersHealthIndicator(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Health health() {
        CatalogSnapshot snapshot = catalog.cachedOrRefresh();
        if (snapshot == null) {
            return Health.up().withDetail("checked", false)
                    .withDetail("note", "The providers have not been listed yet; they are being listed now.").build();
        }
        List<Map<String, Object>> connections = snapshot.health().stream().map(h -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", h.connectionId());
            one.put("name", h.name());
            one.put("kind", h.kind());
            one.put("healthy", h.healthy());
            one.put("error", h.error());
            one.put("checkedAt", h.checkedAt());
            one.put("models", h.models());
            return one;
        }).toList();
        long unhealthy = snapshot.health().stream().filter(h -> !h.healthy()).count();
        return Health.up().withDetail("checked", true).withDetail("unhealthy", unhealthy)
                .withDetail("models", snapshot.models().size()).withDetail("connections", connections).build();
    }
}
