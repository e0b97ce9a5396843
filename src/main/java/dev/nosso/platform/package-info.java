/**
 * What every capability stands on: the database connections (one SQLite writer and many readers, or a
 * PostgreSQL pool), the dialect, id and row helpers, and RFC 9457 problem details for every error.
 * Knows nothing about users, chats or models.
 */
@ApplicationModule(type = ApplicationModule.Type.OPEN)
package dev.nosso.platform;

import org.springframework.modulith.ApplicationModule;
