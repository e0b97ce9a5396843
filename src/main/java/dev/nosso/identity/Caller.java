package dev.nosso.identity;

import java.util.UUID;

/**
 * Who is making the request, whatever credential they used (a session cookie or an API key). Controllers
 * take it with {@code @AuthenticationPrincipal Caller caller} and pass {@link #userId()} down as the owner
 * that every query filters by.
 */
public record Caller(UUID userId, String email, String name, Role role, Credential credential) {

    public enum Credential { SESSION, API_KEY }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
