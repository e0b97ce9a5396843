/**
 * Shared links: a read-only copy (a snapshot) of a chat's shown branch with its cited passages, behind an
 * unguessable token whose URL ({@code /s/{token}}) stays the same when the owner updates the copy and answers
 * 404 once they revoke it. Whether a link works for anyone or only for signed-in users is the administrator's
 * choice. A signed-in viewer may continue a shared chat as a copy of their own.
 *
 * <p>The snapshot holds only what the shared page shows: the title and the branch's questions and answers
 * with the passages they cite. No other branch, no error text, no ids of the owner's chats or files, and
 * nothing about the owner (not their email, nor their name). The chats themselves are {@code chat}'s.
 */
@ApplicationModule(allowedDependencies = {"chat", "identity", "platform"})
package dev.nosso.share;

import org.springframework.modulith.ApplicationModule;
