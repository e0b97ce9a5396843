package dev.nosso.provider;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * Model providers: the connections the environment declares, the key that seals stored API keys, and how
 * the model catalog is fetched and kept. A bad value stops start-up and names the setting.
 *
 * @param dataDir   where {@code secret.key} is generated when {@code secretKey} is empty ({@code NOSSO_DATA_DIR})
 * @param secretKey 32 random bytes in base64 ({@code NOSSO_SECRET_KEY}); required when several nodes share
 *                  the database, since each must open the keys the others sealed
 * @param openai    an OpenAI-compatible connection named {@code openai}, from {@code NOSSO_OPENAI_BASE_URL}
 *                  and {@code NOSSO_OPENAI_API_KEY}
 * @param ollama    an Ollama connection named {@code ollama}, from {@code NOSSO_OLLAMA_URL}
 * @param models    the catalog's timings
 */
@ConfigurationProperties("nosso")
@Validated
record ProviderSettings(@NotNull Path dataDir, String secretKey, @DefaultValue @Valid OpenAi openai,
                        @DefaultValue @Valid Ollama ollama, @DefaultValue @Valid Models models) {

    /** The API's own address, used when only a key is given. */
    static final String OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

    /**
     * @param baseUrl empty for none, unless {@code apiKey} is set: then OpenAI's own API
     * @param apiKey  the key sent as {@code Authorization: Bearer}
     */
    record OpenAi(String baseUrl, String apiKey) {

        /** The base URL to connect to, or null when the environment declares no OpenAI-compatible provider. */
        String effectiveBaseUrl() {
            if (StringUtils.hasText(baseUrl)) {
                return baseUrl.strip();
            }
            return StringUtils.hasText(apiKey) ? OPENAI_DEFAULT_BASE_URL : null;
        }

        @Override
        public String toString() {
            return "OpenAi[baseUrl=" + baseUrl + ", apiKey=" + (StringUtils.hasText(apiKey) ? "***" : "") + "]";
        }
    }

    /** @param url empty for no Ollama connection (application.yml defaults it to {@code http://127.0.0.1:11434}) */
    record Ollama(String url) {

        String effectiveUrl() {
            return StringUtils.hasText(url) ? url.strip() : null;
        }
    }

    /**
     * @param cacheTtl            how long a fetched catalog is served before it is fetched again in the background
     * @param listTimeout         how long one provider may take to list its models; a slower one counts as
     *                            unhealthy for that round and never delays the others
     * @param keepAfterFailure    how long a provider that stops answering keeps its last listed models in the
     *                            catalog (shown unhealthy), so a brief outage does not make chats' models vanish
     * @param refreshUnknownAfter a model id not in a catalog at least this old fetches the catalog again, so a
     *                            model just pulled upstream can be used at once
     * @param connectTimeout      how long connecting to a provider may take
     * @param idleTimeout         how long an answer may go without a byte (before its first one included)
     *                            before it ends in error: a provider that hangs never holds an answer forever
     */
    record Models(@NotNull @DurationMin(seconds = 1) @DefaultValue("60s") Duration cacheTtl,
                  @NotNull @DurationMin(millis = 100) @DefaultValue("5s") Duration listTimeout,
                  @NotNull @DefaultValue("5m") Duration keepAfterFailure,
                  @NotNull @DefaultValue("5s") Duration refreshUnknownAfter,
                  @NotNull @DurationMin(millis = 100) @DefaultValue("3s") Duration connectTimeout,
                  @NotNull @DurationMin(millis = 100) @DefaultValue("60s") Duration idleTimeout) {
    }

    @Override
    public String toString() {
        return "ProviderSettings[dataDir=" + dataDir + ", secretKey=" + (StringUtils.hasText(secretKey) ? "***" : "")
                + ", openai=" + openai + ", ollama=" + ollama + ", models=" + models + "]";
    }
}
