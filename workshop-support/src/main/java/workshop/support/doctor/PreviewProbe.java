package workshop.support.doctor;

import java.util.concurrent.StructuredTaskScope;

/**
 * Uses a preview API, so javac marks this class file as depending on preview features: the JVM refuses to load it
 * unless it runs with {@code --enable-preview}. Loading it is how the doctor tells whether preview is on.
 */
final class PreviewProbe {
    private PreviewProbe() {
    }

    static Class<?> previewApi() {
        return StructuredTaskScope.class;
    }
}
