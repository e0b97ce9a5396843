package dev.nosso.identity;

/**
 * Who may create an account, and with which role. Stored in {@code settings} once an administrator changes
 * it; until then the configuration's values apply.
 *
 * @param signupEnabled     whether {@code POST /api/v1/auth/signup} creates accounts
 * @param signupDefaultRole {@code pending} (an admin approves each account) or {@code user}
 */
record SignupPolicy(boolean signupEnabled, String signupDefaultRole) {
}
