/**
 * Users, roles, server-side sessions, API keys and the one security filter chain that turns either
 * credential into a {@link dev.nosso.identity.Caller}. Also the deliberate creation of the first
 * administrator, sign-up policy and login throttling.
 */
@ApplicationModule(allowedDependencies = "platform")
package dev.nosso.identity;

import org.springframework.modulith.ApplicationModule;
