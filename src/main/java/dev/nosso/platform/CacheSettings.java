package dev.nosso.platform;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How long what is cached in memory may be served. Every cache is also cleared by the change that makes it
 * wrong, on every node (a cluster event), so these bound only what a missed event could leave behind. Zero
 * turns a cache off: each read then goes to the database, as when measuring what a cache saves.
 *
 * @param identity    who a session or an API key stands for ({@code NOSSO_CACHE_IDENTITY})
 * @param chats       a chat's settings as a turn reads them: its model, prompt, sampling and sources
 *                    ({@code NOSSO_CACHE_CHATS})
 * @param preferences a user's preferences: the system prompt their chats start from ({@code NOSSO_CACHE_PREFERENCES})
 */
@ConfigurationProperties("nosso.cache")
@Validated
public record CacheSettings(@NotNull Duration identity, @NotNull Duration chats, @NotNull Duration preferences) {
}
