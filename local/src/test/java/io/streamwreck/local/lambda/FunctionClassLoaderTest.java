package io.streamwreck.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;

class FunctionClassLoaderTest {

    private static Path testClasses() throws Exception {
        return Path.of(ApiGatewayTestHandlers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void thePackagesClassesComeFromThePackageAndTheLambdaTypesFromTheParent() throws Exception {
        ClassLoader host = FunctionClassLoaderTest.class.getClassLoader();
        try (FunctionClassLoader loader = new FunctionClassLoader("t", testClasses(), FunctionClassLoader.SNS_SHARED, host)) {
            Class<?> own = loader.loadClass(ApiGatewayTestHandlers.Echo.class.getName());
            assertThat(own.getClassLoader()).isSameAs(loader);
            assertThat(own).isNotSameAs(ApiGatewayTestHandlers.Echo.class);
            assertThat(loader.loadClass(Context.class.getName())).isSameAs(Context.class);
            assertThat(loader.loadClass(org.joda.time.DateTime.class.getName())).isSameAs(org.joda.time.DateTime.class);
            // Not in the package: the parent's.
            assertThat(loader.loadClass(Test.class.getName())).isSameAs(Test.class);
        }
    }

    @Test
    void theHostsServiceFilesNeverReachTheFunction() throws Exception {
        String services = "META-INF/services/org.junit.platform.engine.TestEngine";
        ClassLoader host = FunctionClassLoaderTest.class.getClassLoader();
        assertThat(Collections.list(host.getResources(services))).isNotEmpty();

        try (FunctionClassLoader loader = new FunctionClassLoader("t", testClasses(), FunctionClassLoader.API_GATEWAY_SHARED, host)) {
            assertThat(Collections.list(loader.getResources(services))).isEmpty();
            // Other resources the package lacks still come from the host.
            assertThat(loader.getResource("org/junit/jupiter/api/Test.class")).isNotNull();
        }
    }

    @Test
    void theHostsSdkInterceptorListsNeverReachTheFunction() throws Exception {
        // The host (DynamoDB Local) carries the enhanced DynamoDB client, whose list names its own interceptor class.
        String interceptors = "software/amazon/awssdk/services/dynamodb/execution.interceptors";
        ClassLoader host = FunctionClassLoaderTest.class.getClassLoader();
        assertThat(Collections.list(host.getResources(interceptors))).isNotEmpty();

        try (FunctionClassLoader loader = new FunctionClassLoader("t", testClasses(), FunctionClassLoader.API_GATEWAY_SHARED, host)) {
            assertThat(Collections.list(loader.getResources(interceptors))).isEmpty();
        }
    }
}
