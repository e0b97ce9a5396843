package dev.nosso.identity;

import dev.nosso.platform.Ids;
import dev.nosso.platform.NotFound;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A user's API keys: made once and shown once, listed by prefix, revoked at will. */
@Service
class ApiKeys {

    static final String KEY_START = "nsk_";
    private static final int KEY_LENGTH = KEY_START.length() + 43;
    private static final int PREFIX_LENGTH = KEY_START.length() + 8;
    private static final int MAX_NAME_LENGTH = 100;

    private final ApiKeyRepository keys;
    private final Callers callers;
    private final Clock clock;

    ApiKeys(ApiKeyRepository keys, Callers callers, Clock clock) {
        this.callers = callers;
        this.keys = keys;
        this.clock = clock;
    }

    /** The key with its secret: the only time anyone sees it. */
    record NewApiKey(UUID id, String name, String prefix, Instant createdAt, String key) {
    }

    @Transactional
    NewApiKey create(UUID owner, String name) {
        String checkedName = InvalidInput.requireName(name, MAX_NAME_LENGTH);
        String key = KEY_START + Tokens.random();
        UUID id = Ids.next();
        Instant now = clock.instant();
        String prefix = key.substring(0, PREFIX_LENGTH);
        keys.insert(id, owner, checkedName, prefix, Tokens.hash(key), now);
        return new NewApiKey(id, checkedName, prefix, now, key);
    }

    @Transactional(readOnly = true)
    List<ApiKey> list(UUID owner) {
        return keys.list(owner);
    }

    /** Revokes one of the owner's keys; another user's key or an unknown id is 404, alike. */
    @Transactional
    void revoke(UUID owner, UUID id) {
        if (!keys.revoke(owner, id, clock.instant())) {
            throw new NotFound("api-key");
        }
        callers.forgetUser(owner); // the key's digest is not kept in the clear; the owner's other keys reload too
    }

    static boolean looksLikeKey(String text) {
        return text != null && text.length() == KEY_LENGTH && text.startsWith(KEY_START);
    }
}
