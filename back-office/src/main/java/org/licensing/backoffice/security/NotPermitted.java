package org.licensing.backoffice.security;

/** The user's role lacks what an action needs: a 403 page (the button was hidden, the POST came anyway). */
public class NotPermitted extends RuntimeException {

    private final String needed;

    public NotPermitted(String needed) {
        super("needs " + needed);
        this.needed = needed;
    }

    public String needed() {
        return needed;
    }
}
