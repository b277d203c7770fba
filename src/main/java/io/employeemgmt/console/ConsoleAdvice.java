package io.employeemgmt.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page needs (the signed-in user, the current path) and how pages fail. */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
class ConsoleAdvice {

    @ModelAttribute("me")
    @Nullable
    ConsoleSession me(HttpServletRequest request) {
        return ConsoleSecurityConfiguration.signedIn(request.getSession(false));
    }

    @ModelAttribute("currentPath")
    String currentPath(HttpServletRequest request) {
        return request.getRequestURI();
    }

    /** The API no longer accepts the session's tokens: sign in again, keeping a posted form. */
    @ExceptionHandler(SignedOut.class)
    String signedOut(HttpServletRequest request, HttpServletResponse response) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(ConsoleSession.ATTRIBUTE);
        }
        String back = "GET".equals(request.getMethod())
                ? request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString())
                : Drafts.keep(request).orElse("/console");
        String url = ConsoleSecurityConfiguration.signInUrl(back, true);
        if (request.getHeader("HX-Request") != null) {
            response.setHeader("HX-Redirect", url);
        }
        return "redirect:" + url;
    }

    @ExceptionHandler(ApiRefused.class)
    String refused(ApiRefused refused, HttpServletResponse response, HttpServletRequest request, Model model) {
        response.setStatus(refused.reply().status());
        model.addAttribute("me", me(request));
        model.addAttribute("currentPath", request.getRequestURI());
        model.addAttribute("status", refused.reply().status());
        model.addAttribute("detail", refused.reply().detail());
        return "console/refused";
    }
}
