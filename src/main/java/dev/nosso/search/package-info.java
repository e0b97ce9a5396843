/**
 * The search API: {@code POST /api/v1/search} finds passages of the caller's files and past messages by
 * keyword, by meaning or both (hybrid), optionally limited to some collections or files.
 *
 * <p>Left to others: the scope a search may read (which files a collection holds) to {@code knowledge}; the
 * chunks, the indexes and the ranking to {@code retrieval}; finding chats by their words or meaning
 * ({@code GET /api/v1/search/chats}) to {@code chat}, beside the chat list it filters and pages.
 */
@ApplicationModule(allowedDependencies = {"knowledge", "retrieval", "identity", "platform"})
package dev.nosso.search;

import org.springframework.modulith.ApplicationModule;
