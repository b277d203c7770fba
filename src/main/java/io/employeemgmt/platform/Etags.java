package io.employeemgmt.platform;

/**
 * Strong ETags over a row's {@code version} column, and parsing of {@code If-Match}. An update carrying If-Match
 * succeeds only while the row still has that version, so of two concurrent writers the second gets 412.
 */
public final class Etags {

    private Etags() {}

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * Returns the version the client expects, or null when it sent no If-Match (or {@code *}), i.e. no precondition.
     */
    public static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || "*".equals(ifMatch.strip())) {
            return null;
        }
        String tag = ifMatch.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() < 3 || !tag.startsWith("\"") || !tag.endsWith("\"")) {
            throw ApiException.badRequest("If-Match", "must be an ETag such as \"3\" as returned by GET");
        }
        try {
            return Long.parseLong(tag.substring(1, tag.length() - 1));
        } catch (NumberFormatException e) {
            throw ApiException.preconditionFailed("If-Match does not match the current version of the resource")
                    .causedBy(e);
        }
    }
}
