/**
 * A durable job queue in the database: a job is a row written in the same transaction as the change that
 * needs it, so a crash between the two loses nothing. Workers claim rows with a lease that they renew while
 * they run; a job whose worker died is claimed again when its lease expires. A job queued on any node wakes
 * the idle workers of every node (a cluster event sent at commit), so idle workers need not poll. Handlers
 * are plain beans ({@link dev.nosso.platform.jobs.JobHandler}) that take the job's payload, a JSON text the
 * enqueuer chose.
 *
 * <p>Also the jobs API ({@code GET /api/v1/jobs/{id}} and its SSE stream of progress), where a client follows
 * the job its upload or setting started. What each kind of job does is left to the module that handles it.
 */
package dev.nosso.platform.jobs;
