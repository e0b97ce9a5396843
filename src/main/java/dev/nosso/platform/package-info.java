/**
 * What every capability stands on: the database connections (one SQLite writer and many readers, or a
 * PostgreSQL pool), the dialect, id and row helpers, RFC 9457 problem details for every error, and (in
 * {@code jobs}) the durable job queue with its progress API. Knows nothing about users, chats or models.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN, allowedDependencies = {})
package dev.nosso.platform;

import org.springframework.modulith.ApplicationModule;
