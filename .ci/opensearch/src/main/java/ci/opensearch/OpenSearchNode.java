package ci.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * Runs a real single-node OpenSearch server in this JVM, built purely from
 * Maven Central jars (see pom.xml). Used by ../opensearch.sh.
 *
 * Usage: java -cp 'target/classes:target/lib/*' ci.opensearch.OpenSearchNode [key=value ...]
 *
 * Every key=value argument is an OpenSearch setting (e.g. http.port=9201)
 * and overrides the defaults below. path.home defaults to $OPENSEARCH_HOME,
 * http.port to $OPENSEARCH_PORT (9200).
 */
public final class OpenSearchNode {

    /** The "modules" compiled into this launcher instead of a modules/ directory. */
    private static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class,          // HTTP + transport
        CommonAnalysisPlugin.class,  // ngram, edge_ngram, asciifolding, language analyzers...
        PainlessPlugin.class         // painless scripts
    );

    /** Node's constructor taking classpath plugins is protected. */
    private static final class ClasspathPluginNode extends Node {
        ClasspathPluginNode(Environment env, Collection<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            // Exit instead of hanging on non-daemon threads a half-started node left behind.
            System.err.println("OpenSearch node failed to start: " + t);
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        // Must be set before Netty is loaded (the real distribution sets it in jvm.options).
        System.setProperty("opensearch.set.netty.runtime.available.processors", "false");

        String envHome = System.getenv("OPENSEARCH_HOME");
        Path home = (envHome != null && !envHome.isEmpty())
            ? Paths.get(envHome)
            : Files.createTempDirectory("opensearch-node");
        String port = System.getenv().getOrDefault("OPENSEARCH_PORT", "9200");

        Settings.Builder builder = Settings.builder()
            .put("cluster.name", "opensearch-ci")
            .put("node.name", "node-1")
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("path.home", home.toAbsolutePath().toString())
            .put("cluster.routing.allocation.disk.threshold_enabled", false);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got: " + arg);
            }
            builder.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Settings settings = builder.build();

        Path homePath = Paths.get(settings.get("path.home")).toAbsolutePath();
        Path config = homePath.resolve("config");
        for (Path dir : new Path[] {config, homePath.resolve("data"), homePath.resolve("logs"),
                                    homePath.resolve("modules"), homePath.resolve("plugins")}) {
            Files.createDirectories(dir);
        }
        // Console-only log4j2 config (the launcher script redirects stdout to a log file).
        Path log4j = config.resolve("log4j2.properties");
        if (!Files.exists(log4j)) {
            try (var in = OpenSearchNode.class.getResourceAsStream("/log4j2.properties")) {
                Files.copy(in, log4j);
            }
        }

        Environment env = InternalSettingsPreparer.prepareEnvironment(
            settings, Collections.emptyMap(), config, () -> settings.get("node.name"));
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(settings.get("node.name"));
        LogConfigurator.configure(env);

        Node node = new ClasspathPluginNode(env, PLUGINS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "opensearch-shutdown"));

        node.start();
        System.out.println("OpenSearch node started: http://127.0.0.1:" + settings.get("http.port")
            + " home=" + homePath);
        stopped.await();
    }
}
