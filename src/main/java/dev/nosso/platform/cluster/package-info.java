/**
 * What lets several Nosso nodes share one PostgreSQL database (and, optionally, one Redis): this node's
 * identity and heartbeat ({@link dev.nosso.platform.cluster.Node}), events every node hears
 * ({@link dev.nosso.platform.cluster.ClusterEvents}: PostgreSQL's {@code LISTEN/NOTIFY}, or this process alone
 * on SQLite), and the optional Redis connection ({@link dev.nosso.platform.cluster.Redis}). On SQLite there is
 * one node by nature, and everything here stays within the process.
 */
package dev.nosso.platform.cluster;
