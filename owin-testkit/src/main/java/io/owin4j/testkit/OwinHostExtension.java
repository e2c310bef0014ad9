package io.owin4j.testkit;

import io.owin4j.api.AppFunc;
import io.owin4j.core.AppBuilder;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The JUnit extension behind {@link OwinHostTest}: one class template invocation per mode, each
 * with its own {@link TestServer}.
 */
final class OwinHostExtension implements ClassTemplateInvocationContextProvider {
  /** How long the leak gate waits for requests to finish after a test. */
  private static final Duration LEAK_GRACE = Duration.ofSeconds(2);

  OwinHostExtension() {}

  @Override
  public boolean supportsClassTemplate(ExtensionContext context) {
    return AnnotationSupport.isAnnotated(context.getTestClass(), OwinHostTest.class);
  }

  @Override
  public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(
      ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    OwinHostTest settings =
        AnnotationSupport.findAnnotation(testClass, OwinHostTest.class)
            .orElseThrow(
                () ->
                    new ExtensionConfigurationException(
                        testClass.getName() + " must be annotated @OwinHostTest"));
    if (settings.modes().length == 0) {
      throw new ExtensionConfigurationException(
          "@OwinHostTest(modes = ...) on " + testClass.getName() + " must name at least one mode");
    }
    Method application = applicationMethod(testClass);
    return Stream.of(settings.modes()).map(mode -> new ModeInvocation(mode, settings, application));
  }

  /**
   * Finds the one {@link TestApplication} method and checks its shape.
   *
   * @throws ExtensionConfigurationException naming the member when it is missing, not unique, not
   *     static, takes parameters or returns another type
   */
  static Method applicationMethod(Class<?> testClass) {
    List<Method> methods =
        AnnotationSupport.findAnnotatedMethods(
            testClass, TestApplication.class, HierarchyTraversalMode.TOP_DOWN);
    if (methods.isEmpty()) {
      throw new ExtensionConfigurationException(
          testClass.getName()
              + " must declare a static method annotated @TestApplication returning AppFunc or"
              + " Consumer<AppBuilder>");
    }
    if (methods.size() > 1) {
      throw new ExtensionConfigurationException(
          testClass.getName()
              + " must declare exactly one @TestApplication method, got "
              + methods.stream()
                  .map(OwinHostExtension::describe)
                  .collect(Collectors.joining(", ")));
    }
    Method method = methods.get(0);
    if (!Modifier.isStatic(method.getModifiers())) {
      throw new ExtensionConfigurationException(
          "@TestApplication method " + describe(method) + " must be static");
    }
    if (method.getParameterCount() != 0) {
      throw new ExtensionConfigurationException(
          "@TestApplication method "
              + describe(method)
              + " must take no parameters, got "
              + method.getParameterCount());
    }
    if (!method.getReturnType().equals(AppFunc.class) && !configuresBuilder(method)) {
      throw new ExtensionConfigurationException(
          "@TestApplication method "
              + describe(method)
              + " must return AppFunc or Consumer<AppBuilder>, got "
              + method.getGenericReturnType().getTypeName());
    }
    return method;
  }

  private static boolean configuresBuilder(Method method) {
    if (!method.getReturnType().equals(Consumer.class)
        || !(method.getGenericReturnType() instanceof ParameterizedType consumer)) {
      return false;
    }
    Type argument = consumer.getActualTypeArguments()[0];
    if (argument instanceof WildcardType wildcard) {
      Type[] lower = wildcard.getLowerBounds();
      return lower.length == 1 && lower[0].equals(AppBuilder.class);
    }
    return argument.equals(AppBuilder.class);
  }

  private static String describe(Method method) {
    return method.getDeclaringClass().getName() + "." + method.getName() + "()";
  }

  private static TestServer start(HostMode mode, OwinHostTest settings, Method application) {
    Object made = ReflectionSupport.invokeMethod(application, null);
    if (made == null) {
      throw new ExtensionConfigurationException(
          "@TestApplication method " + describe(application) + " returned null");
    }
    TestServer.Builder builder =
        TestServer.builder()
            .mode(mode)
            .lint(settings.lint())
            .propagateExceptions(settings.propagateExceptions());
    if (made instanceof AppFunc app) {
      builder.app(app);
    } else {
      @SuppressWarnings("unchecked") // the return type was checked to be Consumer<AppBuilder>
      Consumer<AppBuilder> configuration = (Consumer<AppBuilder>) made;
      builder.configure(configuration);
    }
    return builder.start();
  }

  /** One mode's run of the class. */
  private static final class ModeInvocation implements ClassTemplateInvocationContext {
    private final HostMode mode;
    private final OwinHostTest settings;
    private final Method application;

    ModeInvocation(HostMode mode, OwinHostTest settings, Method application) {
      this.mode = mode;
      this.settings = settings;
      this.application = application;
    }

    @Override
    public String getDisplayName(int invocationIndex) {
      return mode.displayName();
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
      return List.of(new ModeExtension(mode, settings, application));
    }
  }

  /** Starts and stops one mode's server and hands it to the tests. */
  private static final class ModeExtension
      implements BeforeClassTemplateInvocationCallback,
          AfterClassTemplateInvocationCallback,
          ExecutionCondition,
          TestInstancePostProcessor,
          ParameterResolver,
          AfterEachCallback {
    private final HostMode mode;
    private final OwinHostTest settings;
    private final Method application;
    private volatile @Nullable TestServer server;

    ModeExtension(HostMode mode, OwinHostTest settings, Method application) {
      this.mode = mode;
      this.settings = settings;
      this.application = application;
    }

    @Override
    public void beforeClassTemplateInvocation(ExtensionContext context) {
      server = start(mode, settings, application);
    }

    @Override
    public void afterClassTemplateInvocation(ExtensionContext context) {
      TestServer running = server;
      server = null;
      if (running != null) {
        running.close();
      }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      Optional<OnlyOn> onlyOn =
          AnnotationSupport.findAnnotation(context.getElement(), OnlyOn.class)
              .or(() -> AnnotationSupport.findAnnotation(context.getTestClass(), OnlyOn.class));
      if (onlyOn.isPresent() && onlyOn.get().value() != mode) {
        return ConditionEvaluationResult.disabled(
            "runs only on " + onlyOn.get().value().displayName() + ": " + onlyOn.get().reason());
      }
      return ConditionEvaluationResult.enabled("runs on " + mode.displayName());
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
      for (Field field :
          AnnotationSupport.findAnnotatedFields(
              testInstance.getClass(),
              FromHost.class,
              field -> true,
              HierarchyTraversalMode.TOP_DOWN)) {
        String name = field.getDeclaringClass().getName() + "." + field.getName();
        int modifiers = field.getModifiers();
        if (Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers)) {
          throw new ExtensionConfigurationException(
              "@FromHost field " + name + " must be an instance field that is not final");
        }
        Object value = valueFor(field.getType());
        if (value == null) {
          throw new ExtensionConfigurationException(
              "@FromHost field "
                  + name
                  + " must be of type TestClient, TestServer or HostMode,"
                  + " got "
                  + field.getGenericType().getTypeName());
        }
        try {
          ReflectionSupport.makeAccessible(field).set(testInstance, value);
        } catch (IllegalAccessException e) {
          throw new ExtensionConfigurationException("cannot set @FromHost field " + name, e);
        }
      }
    }

    @Override
    public boolean supportsParameter(
        ParameterContext parameterContext, ExtensionContext extensionContext) {
      Class<?> type = parameterContext.getParameter().getType();
      return type == TestClient.class || type == TestServer.class || type == HostMode.class;
    }

    @Override
    public Object resolveParameter(
        ParameterContext parameterContext, ExtensionContext extensionContext) {
      Object value = valueFor(parameterContext.getParameter().getType());
      if (value == null) {
        throw new ExtensionConfigurationException(
            "cannot resolve parameter " + parameterContext.getParameter());
      }
      return value;
    }

    /** The value for a field or parameter of {@code type}, or null when the type is not served. */
    private @Nullable Object valueFor(Class<?> type) {
      if (type == HostMode.class) {
        return mode;
      }
      if (type == TestClient.class || type == TestServer.class) {
        TestServer running = server;
        if (running == null) {
          throw new ExtensionConfigurationException(
              "the "
                  + mode.displayName()
                  + " TestServer is not running; it runs from the first"
                  + " test of the class to the last");
        }
        return running;
      }
      return null;
    }

    @Override
    public void afterEach(ExtensionContext context) {
      TestServer running = server;
      if (running != null) {
        running.assertIdle(LEAK_GRACE);
      }
    }
  }
}
