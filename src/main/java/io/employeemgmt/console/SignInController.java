package io.employeemgmt.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.SessionAttribute;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;

/**
 * Sign-in, sign-out and password change. Sign-in is the API's login (the same users, roles, lockout and audit
 * rows, through the API's LoginService); the tokens it returns stay in the server-side session, which is replaced
 * by a new one (new id, new CSRF token) at sign-in.
 */
@Controller
class SignInController {

    private final ConsoleApi api;

    SignInController(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping({"/console", "/console/"})
    String home() {
        return "redirect:/console/employees";
    }

    @GetMapping("/console/login")
    String signInPage(
            @RequestParam(name = "continue", required = false) @Nullable String target,
            @RequestParam(required = false) @Nullable String expired,
            HttpServletRequest request,
            Model model) {
        if (ConsoleSecurityConfiguration.signedIn(request.getSession(false)) != null && expired == null) {
            return "redirect:" + Drafts.safeTarget(target).orElse("/console/employees");
        }
        model.addAttribute("target", Drafts.safeTarget(target).orElse("/console/employees"));
        model.addAttribute("expired", expired != null);
        model.addAttribute("kept", Drafts.peek(request.getSession(false)) != null);
        return "console/login";
    }

    @PostMapping("/console/login")
    String signIn(
            @RequestParam(defaultValue = "") String username,
            @RequestParam(defaultValue = "") String password,
            @RequestParam(name = "continue", required = false) @Nullable String target,
            HttpServletRequest request,
            Model model) {
        String next = Drafts.safeTarget(target).orElse("/console/employees");
        ApiReply reply = api.login(username.strip(), password);
        if (!reply.ok()) {
            model.addAttribute("target", next);
            model.addAttribute("username", username);
            model.addAttribute("error", reply.detail());
            model.addAttribute("fieldErrors", reply.fieldErrors());
            model.addAttribute("kept", Drafts.peek(request.getSession(false)) != null);
            return "console/login";
        }
        JsonNode tokens = reply.tree();
        ConsoleSession pending = new ConsoleSession(
                username,
                null,
                Set.of(),
                null,
                tokens.get("accessToken").asString(),
                tokens.get("refreshToken").asString(),
                Instant.now().plusSeconds(tokens.get("expiresIn").asLong()));
        Map<String, Object> account =
                ApiRefused.require(api.get(pending, "/auth/me")).map();
        Set<String> roles = new HashSet<>();
        if (account.get("roles") instanceof Iterable<?> names) {
            names.forEach(name -> roles.add(String.valueOf(name)));
        }
        ConsoleSession user = new ConsoleSession(
                String.valueOf(account.get("username")),
                account.get("displayName") == null ? null : String.valueOf(account.get("displayName")),
                roles,
                account.get("employeeNumber") instanceof Number number ? number.longValue() : null,
                pending.accessToken(),
                pending.refreshToken(),
                pending.accessExpiresAt());
        // A new session (new id and CSRF token) for the signed-in user; only a kept draft moves over.
        HttpSession old = request.getSession(false);
        Drafts.Draft draft = Drafts.peek(old);
        if (old != null) {
            old.invalidate();
        }
        HttpSession session = request.getSession(true);
        Drafts.put(session, draft);
        session.setAttribute(ConsoleSession.ATTRIBUTE, user);
        return "redirect:" + next;
    }

    @PostMapping("/console/logout")
    String signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            ConsoleSession user = ConsoleSecurityConfiguration.signedIn(session);
            if (user != null) {
                api.logout(user);
            }
            session.invalidate();
        }
        return "redirect:/console/login?signedOut";
    }

    @GetMapping("/console/password")
    String passwordPage() {
        return "console/password";
    }

    @PostMapping("/console/password")
    String changePassword(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @RequestParam(defaultValue = "") String currentPassword,
            @RequestParam(defaultValue = "") String newPassword,
            @RequestParam(defaultValue = "") String confirmPassword,
            Model model,
            RedirectAttributes redirect) {
        if (!newPassword.equals(confirmPassword)) {
            model.addAttribute("fieldErrors", Map.of("confirmPassword", "does not match the new password"));
            return "console/password";
        }
        ApiReply reply = api.send(
                me,
                "POST",
                "/auth/change-password",
                Map.of("currentPassword", currentPassword, "newPassword", newPassword),
                null);
        if (!reply.ok()) {
            model.addAttribute("error", reply.detail());
            model.addAttribute("fieldErrors", reply.fieldErrors());
            return "console/password";
        }
        redirect.addFlashAttribute("notice", "Your password was changed. Your other sessions were signed out.");
        return "redirect:/console/employees";
    }
}
