package dev.nosso.identity;

import dev.nosso.platform.Problems;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** Signs people in with email and password, under the {@link LoginThrottle}, and opens their session. */
@Service
class Logins {

    private final Users users;
    private final Sessions sessions;
    private final LoginThrottle throttle;

    Logins(Users users, Sessions sessions, LoginThrottle throttle) {
        this.users = users;
        this.sessions = sessions;
        this.throttle = throttle;
    }

    /** The account signed in and the token of its new session. */
    record SignedIn(User user, String sessionToken) {
    }

    SignedIn login(String email, String password, String clientAddress) {
        if (email == null || email.isBlank()) {
            throw new InvalidInput("email", "is required.");
        }
        if (password == null || password.isEmpty()) {
            throw new InvalidInput("password", "is required.");
        }
        LoginThrottle.Attempt attempt = throttle.begin(email.strip().toLowerCase(Locale.ROOT), clientAddress);
        // One answer for an unknown email and a wrong password: the response must not reveal who has an account.
        User user = users.authenticate(email, password).orElseThrow(() -> Problems.exception(
                HttpStatus.UNAUTHORIZED, "invalid-credentials", "The email or the password is wrong."));
        attempt.succeeded();
        if (!Status.ACTIVE.wire().equals(user.status())) {
            // Only someone who knows the password learns this, so saying it tells an attacker nothing.
            throw Problems.exception(HttpStatus.UNAUTHORIZED, "account-suspended",
                    "This account is suspended; ask an administrator.");
        }
        return new SignedIn(user, sessions.open(user.id()));
    }
}
