/**
 * Users, roles, server-side sessions, API keys and the one security filter chain that turns either
 * credential into a {@link dev.nosso.identity.Caller}. Also the deliberate creation of the first
 * administrator ({@link dev.nosso.identity.FirstAdmin}), the sign-up policy and login throttling, counted
 * once for all the nodes of a database (in Redis, or in PostgreSQL; in memory on SQLite, where there is one).
 *
 * <p>Other packages see only {@link dev.nosso.identity.Caller} and {@link dev.nosso.identity.Role}: a
 * controller takes {@code @AuthenticationPrincipal Caller} and filters every query by its user id. The URL
 * rules live in {@link dev.nosso.identity.SecurityConfiguration}: everything under {@code /api} and
 * {@code /v1} needs an active, approved account; {@code /api/v1/admin/**} needs an administrator. The
 * OpenAI-compatible {@code /v1} takes API keys only, and its refusals come in OpenAI's error shape.
 */
@ApplicationModule(allowedDependencies = "platform")
package dev.nosso.identity;

import org.springframework.modulith.ApplicationModule;
