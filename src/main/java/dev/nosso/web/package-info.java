/**
 * The web UI's server side: the single page (static ES modules under {@code static/app/}) is answered for
 * every route the browser may open directly, and every HTML page carries a strict Content-Security-Policy.
 * The UI itself speaks only the public REST/SSE API; nothing here reads user data.
 */
@ApplicationModule(allowedDependencies = {})
package dev.nosso.web;

import org.springframework.modulith.ApplicationModule;
