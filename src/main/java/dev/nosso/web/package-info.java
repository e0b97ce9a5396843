/**
 * The web UI's server side: the single page (static ES modules under {@code static/app/}) is answered for
 * every route the browser may open directly, and every HTML page carries a strict Content-Security-Policy.
 * The UI itself speaks only the public REST/SSE API; the one endpoint here, {@code GET /api/v1/pages/chat},
 * gathers what the chat screen needs as it opens from {@code chat} and {@code provider}, so that opening it
 * costs one call instead of eight.
 */
@ApplicationModule(allowedDependencies = {"chat", "provider", "identity", "platform"})
package dev.nosso.web;

import org.springframework.modulith.ApplicationModule;
