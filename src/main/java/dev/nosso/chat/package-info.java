/**
 * Chats and the message tree: appending, branching, the active branch and its windows, folders, tags,
 * pinning, archiving and full-text chat search, with their REST API. Every statement filters by owner.
 */
@ApplicationModule(allowedDependencies = {"identity", "platform"})
package dev.nosso.chat;

import org.springframework.modulith.ApplicationModule;
