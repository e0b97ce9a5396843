package dev.nosso.platform;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * An object that does not exist <em>or belongs to someone else</em>. The two look identical on purpose:
 * a different answer for another user's id would tell an attacker which ids exist.
 */
public class NotFound extends ErrorResponseException {

    public NotFound(String what) {
        super(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, what + "-not-found",
                "No " + what.replace('-', ' ') + " with this id exists for you."), null);
    }
}
