package dev.nosso.identity;

import dev.nosso.platform.CacheSettings;
import dev.nosso.platform.Limits;
import dev.nosso.platform.OwnerCaches.OwnerCache;
import dev.nosso.platform.OwnerCaches;
import dev.nosso.platform.Problems;
import dev.nosso.platform.Reads;
import dev.nosso.platform.Texts;
import dev.nosso.platform.jobs.Jobs;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A user's own preferences: the system prompt every chat starts from unless it sets its own, and whether
 * their finished messages are remembered (indexed for search across chats).
 */
@Service
public class Preferences {

    /**
     * The job that deletes a user's message chunks when they turn memory off. Queued here, in the same
     * transaction as the setting; its handler lives in {@code memory}, since this package may not depend on
     * {@code retrieval}.
     */
    public static final String FORGET_MEMORY = "forget-memory";

    /** The job that indexes all of a user's past messages again when they turn memory back on. */
    public static final String REINDEX_MEMORY = "reindex-memory";

    private static final String FIND = "SELECT system_prompt, memory FROM user_preferences WHERE user_id = :user";

    private static final String PUT = """
            INSERT INTO user_preferences (user_id, system_prompt, memory, updated_at)
            VALUES (:user, :systemPrompt, :memory, :now)
            ON CONFLICT (user_id) DO UPDATE SET system_prompt = excluded.system_prompt, memory = excluded.memory,
                   updated_at = excluded.updated_at
            """;

    private final JdbcClient jdbc;
    private final Jobs jobs;
    private final Limits limits;
    private final Clock clock;
    private final OwnerCaches caches;
    private final Reads reads;
    private final OwnerCache<UUID, UserPreferences> cache;

    Preferences(JdbcClient jdbc, Jobs jobs, Limits limits, Clock clock, OwnerCaches caches, CacheSettings settings,
                Reads reads) {
        this.reads = reads;
        this.caches = caches;
        this.cache = caches.create("preferences", settings.preferences());
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.limits = limits;
        this.clock = clock;
    }

    /** The user's preferences, from memory when read before: no system prompt and memory on until set. */
    public UserPreferences of(UUID user) {
        return cache.get(user, user, () -> reads.run(() -> read(user)));
    }

    private UserPreferences read(UUID user) {
        return jdbc.sql(FIND).param("user", user)
                .query((rs, row) -> new UserPreferences(rs.getString(1), rs.getBoolean(2))).optional()
                .orElse(new UserPreferences(null, true));
    }

    /**
     * Changes the fields given (a null field stays as it was). Turning memory off forgets the user's messages;
     * turning it back on indexes them all again.
     */
    @Transactional
    public UserPreferences update(UUID user, PreferenceChanges changes) {
        UserPreferences current = read(user);
        String prompt = current.systemPrompt();
        if (changes.systemPrompt() != null) {
            prompt = Texts.storable("systemPrompt", changes.systemPrompt().orElse(null));
            if (prompt != null && prompt.length() > limits.maxMessageChars()) {
                throw Problems.exception(HttpStatus.BAD_REQUEST, "validation",
                        "systemPrompt is longer than " + limits.maxMessageChars() + " characters.");
            }
        }
        boolean memory = changes.memory() == null ? current.memory() : changes.memory();
        jdbc.sql(PUT).param("user", user).param("systemPrompt", prompt == null || prompt.isBlank() ? null : prompt)
                .param("memory", memory).param("now", clock.instant().toEpochMilli()).update();
        if (current.memory() && !memory) {
            jobs.enqueue(user, FORGET_MEMORY, "{}");
        } else if (!current.memory() && memory) {
            jobs.enqueue(user, REINDEX_MEMORY, "{}");
        }
        caches.changed(user);
        return read(user);
    }

    /**
     * @param systemPrompt null or blank: none
     * @param memory       whether finished messages are indexed and searchable as memory
     */
    public record UserPreferences(String systemPrompt, boolean memory) {
    }

    /**
     * What a PATCH changes: a null field is left alone; {@code Optional.empty()} removes the system prompt.
     */
    public record PreferenceChanges(Optional<String> systemPrompt, Boolean memory) {
    }
}
