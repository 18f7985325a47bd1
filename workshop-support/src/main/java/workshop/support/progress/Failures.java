package workshop.support.progress;

import workshop.support.NotSolvedYet;

/** What of a test's failure a learner reads first. */
final class Failures {

    private Failures() {
    }

    /**
     * A stub's "not solved yet" anywhere in the cause chain wins (it is why the test failed); otherwise the
     * failure's own message, or its type and message when it is not an assertion.
     */
    static String summary(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NotSolvedYet) {
                return t.getMessage();
            }
        }
        if (thrown instanceof AssertionError && thrown.getMessage() != null) {
            return withoutDescriptionBrackets(thrown.getMessage());
        }
        return thrown.toString();
    }

    /** AssertJ puts a description in brackets on a line of its own: {@code [[01.5] hits counted…] }. */
    static String withoutDescriptionBrackets(String message) {
        int newline = message.indexOf('\n');
        String first = (newline < 0 ? message : message.substring(0, newline)).strip();
        if (first.startsWith("[") && first.endsWith("]")) {
            return first.substring(1, first.length() - 1) + (newline < 0 ? "" : message.substring(newline));
        }
        return message;
    }
}
