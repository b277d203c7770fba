package io.employeemgmt.console;

import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.SessionAttribute;
import org.springframework.web.multipart.MultipartFile;

/**
 * CSV import of new employees in two steps, both through the API's import endpoint: the upload is checked with
 * {@code dryRun=true} (a row-by-row report, nothing written) and kept in the session; confirming imports it, all
 * rows or - only when the person chooses so - just the valid ones.
 */
@Controller
class ImportPagesController {

    private static final String UPLOAD = ImportPagesController.class.getName() + ".upload";
    static final int MAX_BYTES = 1024 * 1024;

    record Upload(String filename, String csv) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    private final ConsoleApi api;

    ImportPagesController(ConsoleApi api) {
        this.api = api;
    }

    @GetMapping("/console/import")
    String importPage() {
        return "console/import";
    }

    @PostMapping("/console/import")
    String check(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @RequestParam(name = "file", required = false) MultipartFile file,
            HttpSession session,
            Model model)
            throws IOException {
        if (file == null || file.isEmpty()) {
            model.addAttribute("fileError", "Choose a CSV file to check");
            return "console/import";
        }
        if (file.getSize() > MAX_BYTES) {
            model.addAttribute("fileError", "The file is larger than 1 MB; split it into smaller files");
            return "console/import";
        }
        Upload upload = new Upload(
                file.getOriginalFilename() == null ? "upload.csv" : file.getOriginalFilename(),
                new String(file.getBytes(), StandardCharsets.UTF_8));
        ApiReply reply = api.sendText(me, "POST", "/employees/import?dryRun=true", "text/csv", upload.csv());
        model.addAttribute("filename", upload.filename());
        if (!reply.ok()) {
            model.addAttribute("fileError", reply.detail());
            return "console/import";
        }
        session.setAttribute(UPLOAD, upload);
        model.addAttribute("report", reply.map());
        return "console/import-report";
    }

    @PostMapping("/console/import/confirm")
    String confirm(
            @SessionAttribute(ConsoleSession.ATTRIBUTE) ConsoleSession me,
            @RequestParam(defaultValue = "false") boolean validOnly,
            HttpSession session,
            Model model) {
        if (!(session.getAttribute(UPLOAD) instanceof Upload upload)) {
            model.addAttribute("fileError", "The checked file is no longer there; upload it again");
            return "console/import";
        }
        ApiReply reply = api.sendText(me, "POST", "/employees/import?validOnly=" + validOnly, "text/csv", upload.csv());
        model.addAttribute("filename", upload.filename());
        if (!reply.ok()) {
            model.addAttribute("fileError", reply.detail());
            model.addAttribute("problems", reply.fieldErrors());
            return "console/import";
        }
        session.removeAttribute(UPLOAD);
        model.addAttribute("report", reply.map());
        model.addAttribute("done", true);
        return "console/import-report";
    }
}
