package dev.nosso.identity;

import dev.nosso.platform.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Opens and closes server-side sessions. The token goes to the browser in a cookie; its digest stays here. */
@Service
class Sessions {

    private final SessionRepository sessions;
    private final Callers callers;
    private final IdentitySettings settings;
    private final Clock clock;

    Sessions(SessionRepository sessions, Callers callers, IdentitySettings settings, Clock clock) {
        this.sessions = sessions;
        this.callers = callers;
        this.settings = settings;
        this.clock = clock;
    }

    /** Opens a session for the user and returns its token; also forgets the user's expired sessions. */
    @Transactional
    String open(UUID userId) {
        Instant now = clock.instant();
        String token = Tokens.random();
        sessions.deleteExpiredOf(userId, now);
        sessions.insert(Ids.next(), userId, Tokens.hash(token), now, now.plus(settings.sessionTtl()));
        return token;
    }

    @Transactional
    void close(String token) {
        String digest = Tokens.hash(token);
        sessions.delete(digest);
        callers.forgetCredential(digest);
    }
}
