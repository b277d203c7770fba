package io.employeemgmt.console;

/** The API refused the call a page is built on (403, 404, ...): the page shows the API's status and detail. */
final class ApiRefused extends RuntimeException {

    private final transient ApiReply reply;

    ApiRefused(ApiReply reply) {
        super(reply.detail(), null, false, false);
        this.reply = reply;
    }

    ApiReply reply() {
        return reply;
    }

    /** {@code reply} itself when it succeeded. */
    static ApiReply require(ApiReply reply) {
        if (!reply.ok()) {
            throw new ApiRefused(reply);
        }
        return reply;
    }
}
