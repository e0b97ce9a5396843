package dev.nosso.provider;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ProviderConfiguration {

    @Bean
    SecretBox secretBox(ProviderSettings settings) {
        return SecretBox.load(settings.secretKey(), settings.dataDir());
    }

    // The clients' own listing deadline is the catalog's, so a provider's listing ends (and frees its
    // connection) when the catalog stops waiting for it.
    @Bean
    ProviderClients providerClients(ProviderSettings settings) {
        ProviderTimeouts timeouts = new ProviderTimeouts(settings.models().connectTimeout(),
                settings.models().listTimeout(), settings.models().idleTimeout());
        return new ProviderClients(Map.of(ConnectionKind.OPENAI, new OpenAiCompatibleClient(timeouts),
                ConnectionKind.OLLAMA, new OllamaClient(timeouts)));
    }
}
