package workshop.support.junit;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Tag;
import workshop.support.exercise.Exercise;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/**
 * Runs test classes in the order of their exercises (01.2 before 01.10), so that a run reads like the exercise table;
 * classes without an exercise tag come last, by name. The default class order of every workshop test run
 * ({@code junit-platform.properties}).
 */
public final class ExerciseOrder implements ClassOrderer {

    private static final String NONE = "99.999";

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor c) -> exerciseOf(c).orElse(NONE), Exercise::compareIds)
                .thenComparing(ClassDescriptor::getDisplayName));
    }

    private static Optional<String> exerciseOf(ClassDescriptor descriptor) {
        return Arrays.stream(descriptor.getTestClass().getAnnotationsByType(Tag.class))
                .map(Tag::value)
                .filter(tag -> tag.matches("\\d\\d\\.\\d+"))
                .findFirst();
    }
}
