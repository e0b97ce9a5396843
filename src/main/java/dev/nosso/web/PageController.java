package dev.nosso.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The routes of the single-page app. A reload or a shared link on any of them gets {@code index.html}, whose
 * router then shows the page. Signed-in or not does not matter here: the page asks the API who is calling.
 * A new top-level page needs its path here and in the route table of {@code static/app/app.js}.
 */
@Controller
class PageController {

    @GetMapping({"/", "/c/{chatId}", "/signin", "/signup", "/setup", "/setup.html", "/settings", "/settings/**",
            "/admin", "/admin/**", "/knowledge", "/knowledge/**"})
    String page() {
        return "forward:/index.html";
    }
}
