package dev.nosso.share;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The page of a shared link, {@code /s/{token}}: the single page app, whose router shows the shared chat (or
 * why it cannot). The token is checked by the API the page calls, so that an unknown link and a revoked one
 * look alike.
 */
@Controller
class SharedPageController {

    @GetMapping("/s/{token}")
    String page(HttpServletResponse response) {
        response.setHeader("X-Robots-Tag", "noindex, nofollow");
        return "forward:/index.html";
    }
}
