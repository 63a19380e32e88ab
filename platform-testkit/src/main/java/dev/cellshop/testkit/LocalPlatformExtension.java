package dev.cellshop.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(LocalPlatformExtension.class)} gives a test (constructor, lifecycle or
 * test method parameters) the shared {@link LocalPlatform} or its {@link PlatformEndpoints}.
 */
public final class LocalPlatformExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalPlatform.class || type == PlatformEndpoints.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalPlatform platform = LocalPlatform.shared();
        return parameter.getParameter().getType() == LocalPlatform.class ? platform : platform.endpoints();
    }
}
