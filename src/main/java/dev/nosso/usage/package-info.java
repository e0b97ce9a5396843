/**
 * What answers cost, at a glance, and token budgets. Every answer that ends adds its tokens and latency to a
 * daily roll-up per user and model ({@link dev.nosso.usage.UsageLedger}, called by {@code generation} in the
 * transaction that ends the answer); the administrator's Usage page and its CSV read the roll-up. A budget caps
 * the tokens (prompt and completion) one user may spend per UTC day or month: {@link dev.nosso.usage.Budgets}
 * refuses a turn once it is spent, from what it keeps in memory. Knows nothing about chats: callers hand it plain
 * values (owner, model, when, figures).
 */
@ApplicationModule(allowedDependencies = {"identity", "platform"})
package dev.nosso.usage;

import org.springframework.modulith.ApplicationModule;
