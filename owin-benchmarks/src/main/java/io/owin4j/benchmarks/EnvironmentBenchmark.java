package io.owin4j.benchmarks;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.api.features.ConnectionFeature;
import io.owin4j.api.features.RequestFeature;
import io.owin4j.api.features.RequestIdentifierFeature;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.ResponseBodyFeature;
import io.owin4j.api.features.ResponseFeature;
import io.owin4j.core.OwinEnvironment;
import io.owin4j.features.CancellationTokenSource;
import io.owin4j.features.DefaultConnectionFeature;
import io.owin4j.features.DefaultFeatureCollection;
import io.owin4j.features.DefaultRequestFeature;
import io.owin4j.features.DefaultRequestIdentifierFeature;
import io.owin4j.features.DefaultRequestLifetimeFeature;
import io.owin4j.features.DefaultResponseBodyFeature;
import io.owin4j.features.DefaultResponseFeature;
import io.owin4j.features.HeaderDictionary;
import io.owin4j.features.ResponseBodyStream;
import io.owin4j.features.ResponseStarter;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a request pays for its OWIN environment: the lazy view over typed features that the hosts
 * use, against the eager dictionary a host without features would fill.
 *
 * <p>Each benchmark builds one request's environment and does what a typical middleware does with
 * it: reads the method, path, query string and a header, then sets the status and a response
 * header. Run with {@code owin-benchmarks/jmh.sh EnvironmentBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EnvironmentBenchmark {
  private static final InputStream EMPTY = InputStream.nullInputStream();
  private static final OutputStream SINK = OutputStream.nullOutputStream();

  /** The baseline: every key copied into a HashMap up front, as a dictionary-only host does. */
  @Benchmark
  public void eagerHashMap(Blackhole blackhole) {
    Map<String, Object> env = new HashMap<>(64);
    HeaderDictionary requestHeaders = requestHeaders();
    env.put(OwinKeys.REQUEST_METHOD, "GET");
    env.put(OwinKeys.REQUEST_SCHEME, "http");
    env.put(OwinKeys.REQUEST_PATH_BASE, "");
    env.put(OwinKeys.REQUEST_PATH, "/hello");
    env.put(OwinKeys.REQUEST_QUERY_STRING, "name=world");
    env.put(OwinKeys.REQUEST_PROTOCOL, "HTTP/1.1");
    env.put(OwinKeys.REQUEST_HEADERS, requestHeaders);
    env.put(OwinKeys.REQUEST_BODY, EMPTY);
    env.put(OwinKeys.REQUEST_ID, "r-1");
    env.put(OwinKeys.RESPONSE_HEADERS, new HeaderDictionary());
    env.put(OwinKeys.RESPONSE_BODY, SINK);
    env.put(OwinKeys.CALL_CANCELLED, CancellationToken.NONE);
    env.put(OwinKeys.VERSION, OwinKeys.VERSION_VALUE);
    env.put(ServerKeys.REMOTE_IP_ADDRESS, "127.0.0.1");
    env.put(ServerKeys.REMOTE_PORT, "50000");
    env.put(ServerKeys.LOCAL_IP_ADDRESS, "127.0.0.1");
    env.put(ServerKeys.LOCAL_PORT, "8080");
    env.put(ServerKeys.IS_LOCAL, Boolean.TRUE);
    env.put(ServerKeys.CONNECTION_ID, "c-1");
    typicalMiddleware(env, blackhole);
  }

  /** The hosts' way: typed features, and an environment that asks them only for what is read. */
  @Benchmark
  public void lazyOwinEnvironment(Blackhole blackhole) {
    DefaultRequestFeature request = new DefaultRequestFeature();
    request.setMethod("GET");
    request.setScheme("http");
    request.setPath("/hello");
    request.setQueryString("name=world");
    request.setProtocol("HTTP/1.1");
    request.setHeaders(requestHeaders());
    ResponseStarter starter = new ResponseStarter();
    DefaultFeatureCollection features = new DefaultFeatureCollection();
    features.set(RequestFeature.class, request);
    features.set(ResponseFeature.class, new DefaultResponseFeature(starter));
    features.set(
        ResponseBodyFeature.class,
        new DefaultResponseBodyFeature(new ResponseBodyStream(SINK, starter), starter));
    features.set(RequestIdentifierFeature.class, new DefaultRequestIdentifierFeature("r-1"));
    features.set(
        RequestLifetimeFeature.class,
        new DefaultRequestLifetimeFeature(new CancellationTokenSource()));
    features.set(ConnectionFeature.class, new DefaultConnectionFeature());
    typicalMiddleware(OwinEnvironment.of(features), blackhole);
  }

  private static HeaderDictionary requestHeaders() {
    HeaderDictionary headers = new HeaderDictionary();
    headers.set("Host", "localhost:8080");
    headers.set("Accept", "text/plain");
    headers.set("User-Agent", "bench");
    return headers;
  }

  @SuppressWarnings("unchecked")
  private static void typicalMiddleware(Map<String, Object> env, Blackhole blackhole) {
    blackhole.consume(env.get(OwinKeys.REQUEST_METHOD));
    blackhole.consume(env.get(OwinKeys.REQUEST_PATH));
    blackhole.consume(env.get(OwinKeys.REQUEST_QUERY_STRING));
    Map<String, String[]> requestHeaders = (Map<String, String[]>) env.get(OwinKeys.REQUEST_HEADERS);
    blackhole.consume(requestHeaders.get("accept"));
    env.put(OwinKeys.RESPONSE_STATUS_CODE, 200);
    Map<String, String[]> responseHeaders =
        (Map<String, String[]>) env.get(OwinKeys.RESPONSE_HEADERS);
    responseHeaders.put("Content-Type", new String[] {"text/plain"});
    blackhole.consume(env);
  }
}
