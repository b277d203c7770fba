package io.employeemgmt.console;

/** The console session has no valid API tokens any more (expired, revoked or signed out elsewhere). */
final class SignedOut extends RuntimeException {

    SignedOut() {
        super("The sign-in has expired", null, false, false);
    }
}
