package dev.nosso.identity;

import dev.nosso.platform.Ids;
import dev.nosso.platform.Limits;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Accounts and sign-up policy, for administrators only (the URL rules refuse everyone else). */
@RestController
@RequestMapping("/api/v1/admin")
@Tag(name = "Administration", description = "Approve, promote and suspend accounts; the sign-up policy")
class AdminController {

    private final Users users;
    private final SignupPolicies policies;
    private final Quotas quotas;
    private final Limits limits;

    AdminController(Users users, SignupPolicies policies, Quotas quotas, Limits limits) {
        this.users = users;
        this.policies = policies;
        this.quotas = quotas;
        this.limits = limits;
    }

    /** One page of accounts, newest first; {@code nextCursor} fetches the next page and is null on the last. */
    record UserPage(List<User> items, String nextCursor) {
    }

    record AccessChange(String role, String status) {
    }

    /** The sign-up policy and the per-user limits (0: unlimited) in force. */
    record InstanceSettings(boolean signupEnabled, String signupDefaultRole, int runningAnswersPerUser,
                            int messagesPerMinutePerUser, long uploadBytesPerDayPerUser) {

        static InstanceSettings of(SignupPolicy policy, Quota quota) {
            return new InstanceSettings(policy.signupEnabled(), policy.signupDefaultRole(),
                    quota.runningAnswersPerUser(), quota.messagesPerMinutePerUser(), quota.uploadBytesPerDayPerUser());
        }
    }

    record SettingsChange(Boolean signupEnabled, String signupDefaultRole, Integer runningAnswersPerUser,
                          Integer messagesPerMinutePerUser, Long uploadBytesPerDayPerUser) {
    }

    @GetMapping("/users")
    @Operation(summary = "Accounts, newest first, optionally of one status (active, suspended) or role "
            + "(admin, user, pending)")
    UserPage users(@RequestParam(required = false) String status, @RequestParam(required = false) String role,
                   @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        int size = limits.pageSize(limit, 50);
        UUID before = null;
        if (cursor != null && (before = Ids.parseOrNull(cursor)) == null) {
            throw new InvalidInput("cursor", "is not one this server handed out.");
        }
        List<User> page = users.list(before, status == null ? null : parseStatus(status),
                role == null ? null : parseRole(role), size);
        String next = page.size() == size ? page.getLast().id().toString() : null;
        return new UserPage(page, next);
    }

    @GetMapping("/users/{userId}")
    User user(@PathVariable UUID userId) {
        return users.get(userId);
    }

    @PatchMapping("/users/{userId}")
    @Operation(summary = "Change an account's role and/or status: approve (pending to user), promote, suspend "
            + "(ends its sessions); the last active administrator stays")
    User changeAccess(@PathVariable UUID userId, @RequestBody AccessChange body) {
        return users.changeAccess(userId, body.role() == null ? null : parseRole(body.role()),
                body.status() == null ? null : parseStatus(body.status()));
    }

    @GetMapping("/settings")
    @Operation(summary = "The sign-up policy and the per-user limits in force")
    InstanceSettings settings() {
        return InstanceSettings.of(policies.current(), quotas.current());
    }

    @PatchMapping("/settings")
    @Operation(summary = "Turn sign-up on or off, choose the role of new accounts (pending or user), or change "
            + "a per-user limit (answers running at once, messages per minute, upload bytes per day; 0: unlimited)")
    InstanceSettings changeSettings(@RequestBody SettingsChange body) {
        // Every value is checked before anything changes: a refused request changes nothing.
        Quotas.check(body.runningAnswersPerUser(), body.messagesPerMinutePerUser(), body.uploadBytesPerDayPerUser());
        SignupPolicy policy = policies.change(body.signupEnabled(), body.signupDefaultRole());
        return InstanceSettings.of(policy, quotas.change(body.runningAnswersPerUser(),
                body.messagesPerMinutePerUser(), body.uploadBytesPerDayPerUser()));
    }

    private static Role parseRole(String role) {
        try {
            return Role.fromWire(role);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("role", "must be admin, user or pending.");
        }
    }

    private static Status parseStatus(String status) {
        try {
            return Status.fromWire(status);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("status", "must be active or suspended.");
        }
    }
}
