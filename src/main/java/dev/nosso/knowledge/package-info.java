/**
 * Files and collections: uploads (type checked by content, bytes stored once per content on disk), their
 * ingestion as durable jobs (parse with Tika under a time and size limit, then hand the text to
 * {@code retrieval}), collections of files, and the job progress API. Every statement filters by owner.
 * The chunks themselves belong to {@code retrieval}; the queue to {@code platform}.
 */
@ApplicationModule(allowedDependencies = {"retrieval", "platform", "identity"})
package dev.nosso.knowledge;

import org.springframework.modulith.ApplicationModule;
