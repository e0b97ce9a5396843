/**
 * Import and export of chats. Imports read ChatGPT's export ({@code conversations.json}, its split form, or its
 * zip), Open WebUI's chat export and Nosso's own, a conversation at a time, as a durable job with progress and a
 * report of what was imported, skipped and why; a conversation commits a bounded batch of messages at a time,
 * each with the record of its source ids and what they became, so importing a file again creates nothing new and
 * a job stopped between two batches resumes after the last. Exports stream one chat or all of a user's chats as
 * Nosso's JSON (every branch, with folders, tags and citations) or Markdown (the branch shown).
 *
 * <p>The chats and messages themselves are {@code chat}'s ({@code ImportedChats} writes them, and hands each
 * finished message to memory as any message is; {@code ChatHistory} reads them back); an upload's bytes wait in
 * {@code knowledge}'s file store until its job has read them; the queue is {@code platform}'s.
 */
@ApplicationModule(allowedDependencies = {"chat", "knowledge::storage", "identity", "platform"})
package dev.nosso.transfer;

import org.springframework.modulith.ApplicationModule;
