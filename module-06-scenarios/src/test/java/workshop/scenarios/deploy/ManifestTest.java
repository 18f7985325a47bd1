package workshop.scenarios.deploy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import workshop.scenarios.deploy.Manifest.IntOrPercent;
import workshop.scenarios.deploy.domain.ServiceContract;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * 06.21: the Kubernetes manifest ({@code k8s/catalog.yaml}) held to the service's own contract
 * ({@link ServiceContract#PRODUCTION}, its paths, its {@code --port}), one invariant per test, each failure saying what
 * Kubernetes would do wrong. The file is read as the API server reads it, defaults included; nothing is deployed.
 */
@Tag("06.21")
@DisplayName("06.21 The manifest")
class ManifestTest {

    private static final ServiceContract CONTRACT = ServiceContract.PRODUCTION;

    /** How many times the warm-up the startup probe must allow: a cold JVM on a busy node is slower than a laptop. */
    private static final int WARM_UP_MARGIN = 2;

    private Manifest manifest;

    @BeforeEach
    void readTheManifest() {
        manifest = Manifest.load();
    }

    @Nested
    @DisplayName("as the API server reads it")
    class AsTheApiServerReadsIt {

        @Test
        @DisplayName("holds an apps/v1 Deployment, a v1 Service and a policy/v1 PodDisruptionBudget")
        void holdsTheThreeKindsInTheirCurrentApiVersions() {
            Map<String, String> expected = new java.util.LinkedHashMap<>();
            expected.put("Deployment", "apps/v1");
            expected.put("Service", "v1");
            expected.put("PodDisruptionBudget", "policy/v1");
            expected.forEach((kind, apiVersion) -> {
                JsonNode document = manifest.the(kind, switch (kind) {
                    case "Deployment" -> "nothing runs the service";
                    case "Service" -> "no stable address routes to the ready pods";
                    default -> "a node drain may evict every pod at once";
                });
                assertThat(document.path("apiVersion").asString(""))
                        .as("[06.21] the %s's apiVersion: the API server of Kubernetes 1.25+ knows a %s only as %s "
                                + "(extensions/v1beta1 and apps/v1beta* went in 1.16, policy/v1beta1 in 1.25), "
                                + "kubectl apply fails (README 06.21)", kind, kind, apiVersion)
                        .isEqualTo(apiVersion);
            });
        }

        @Test
        @DisplayName("the Deployment selects the pods of its own template")
        void theDeploymentSelectsItsTemplate() {
            Map<String, String> selector = Manifest.strings(
                    manifest.deployment().path("spec").path("selector").path("matchLabels"));
            assertThat(Manifest.selects(selector, manifest.podLabels()))
                    .as("[06.21] the Deployment's spec.selector.matchLabels is %s and its pod template's labels are "
                            + "%s: apps/v1 requires a selector that matches the template, or the API server rejects "
                            + "the Deployment (README 06.21)", selector, manifest.podLabels())
                    .isTrue();
        }
    }

    @Nested
    @DisplayName("a rolling update")
    class ARollingUpdate {

        @Test
        @DisplayName("runs at least two replicas")
        void runsAtLeastTwoReplicas() {
            int replicas = Manifest.intOr(manifest.deployment().path("spec").path("replicas"), 1);
            assertThat(replicas)
                    .as("[06.21] replicas is %d: with one pod every restart, node drain or eviction is an outage, "
                            + "whatever the rollout strategy says (README 06.21)", replicas)
                    .isGreaterThanOrEqualTo(2);
        }

        @Test
        @DisplayName("never takes a ready pod away before its replacement is available (maxUnavailable 0)")
        void neverTakesAReadyPodAway() {
            JsonNode strategy = manifest.deployment().path("spec").path("strategy");
            String type = strategy.path("type").asString("RollingUpdate");
            assertThat(type)
                    .as("[06.21] the Deployment's strategy is %s: Recreate stops every old pod before a new one "
                            + "starts, an outage on every deploy (README 06.21)", type)
                    .isEqualTo("RollingUpdate");
            JsonNode field = strategy.path("rollingUpdate").path("maxUnavailable");
            if (field.isMissingNode()) {
                fail("[06.21] rollingUpdate.maxUnavailable is not set, so it is 25%: at 4 replicas or more the "
                        + "controller stops an old ready pod before its replacement is ready; set it to 0 "
                        + "(README 06.21)");
            }
            IntOrPercent maxUnavailable = IntOrPercent.of(field).orElseGet(() -> fail(
                    "[06.21] rollingUpdate.maxUnavailable is %s: neither a number nor a percentage (README 06.21)",
                    field));
            assertThat(maxUnavailable.value())
                    .as("[06.21] rollingUpdate.maxUnavailable is %s: the controller may stop that many ready pods "
                            + "before their replacements are ready%s, so a rollout serves on fewer pods, or on none; "
                            + "set it to 0 (README 06.21)", maxUnavailable, maxUnavailable.percent()
                            && maxUnavailable.value() > 0 ? " (a percentage rounds down: 0 pods at a few replicas, but "
                            + "1 at " + (100 + maxUnavailable.value() - 1) / maxUnavailable.value() + ")" : "")
                    .isZero();
        }

        @Test
        @DisplayName("surges: it may start a new pod beside the old ones (maxSurge at least 1)")
        void surges() {
            JsonNode spec = manifest.deployment().path("spec");
            int replicas = Manifest.intOr(spec.path("replicas"), 1);
            JsonNode field = spec.path("strategy").path("rollingUpdate").path("maxSurge");
            IntOrPercent maxSurge = field.isMissingNode() ? new IntOrPercent(25, true)
                    : IntOrPercent.of(field).orElseGet(() -> fail(
                            "[06.21] rollingUpdate.maxSurge is %s: neither a number nor a percentage (README 06.21)",
                            field));
            assertThat(maxSurge.pods(replicas, true))
                    .as("[06.21] rollingUpdate.maxSurge is %s, %d extra pods at %d replicas: with maxUnavailable 0 "
                            + "the controller may neither stop an old pod nor start a new one, and the API server "
                            + "rejects both at 0 (README 06.21)", maxSurge, maxSurge.pods(replicas, true), replicas)
                    .isGreaterThanOrEqualTo(1);
        }

        @Test
        @DisplayName("counts a new pod as available only after it has stayed ready a while (minReadySeconds)")
        void waitsForANewPodToProveItself() {
            int minReadySeconds = Manifest.intOr(manifest.deployment().path("spec").path("minReadySeconds"), 0);
            assertThat(minReadySeconds)
                    .as("[06.21] minReadySeconds is %d: a new pod counts as available the moment its first "
                            + "readiness probe passes, so the rollout stops an old pod for one that may crash a "
                            + "second later; give it a few seconds (README 06.21)", minReadySeconds)
                    .isPositive();
        }
    }

    @Nested
    @DisplayName("the probes")
    class TheProbes {

        @Test
        @DisplayName("ask /ready whether to send the pod traffic (readiness)")
        void readinessAsksReady() {
            JsonNode probe = probe("readinessProbe", "a pod is ready as soon as its container starts, so the Service "
                    + "sends it requests while its cache is cold and the rollout stops the next old pod at once");
            assertHttpGet("readinessProbe", probe, ServiceContract.READY_PATH, "a pod that is cold or draining still "
                    + "gets traffic");
        }

        @Test
        @DisplayName("ask /live, never /ready, whether to restart the container (liveness)")
        void livenessAsksLive() {
            JsonNode probe = probe("livenessProbe", "a process that hangs is never restarted");
            String path = probe.path("httpGet").path("path").asString("/");
            assertThat(path)
                    .as("[06.21] the livenessProbe asks %s, not %s: %s (README 06.21)", path, ServiceContract.LIVE_PATH,
                            path.equals(ServiceContract.READY_PATH)
                                    ? "/ready answers 503 whenever the pod should get no traffic (cache warming, "
                                    + "shutdown begun) and a failed liveness probe restarts the container: a slow "
                                    + "warm-up becomes a restart loop"
                                    : "the service answers only on its own paths, so the kubelet restarts a healthy "
                                    + "pod again and again")
                    .isEqualTo(ServiceContract.LIVE_PATH);
            assertHttpGet("livenessProbe", probe, ServiceContract.LIVE_PATH, "the kubelet restarts pods that are fine");
        }

        @Test
        @DisplayName("hold liveness back until the pod has started, for longer than the warm-up (startup probe)")
        void startupOutlastsTheWarmUp() {
            JsonNode probe = probe("startupProbe", "the liveness probe runs from the first second and may restart a "
                    + "container that is still starting (a long initialDelaySeconds on liveness is the old way: it "
                    + "delays every restart's checks by a guess)");
            String path = probe.path("httpGet").path("path").asString("");
            assertThat(List.of(ServiceContract.LIVE_PATH, ServiceContract.READY_PATH))
                    .as("[06.21] the startupProbe asks %s: the service answers %s (started) or %s (warm) "
                            + "(README 06.21)", path, ServiceContract.LIVE_PATH, ServiceContract.READY_PATH)
                    .contains(path);
            assertHttpGet("startupProbe", probe, path, "the container never counts as started");
            int period = Manifest.intOr(probe.path("periodSeconds"), Manifest.DEFAULT_PERIOD_SECONDS);
            int failures = Manifest.intOr(probe.path("failureThreshold"), Manifest.DEFAULT_FAILURE_THRESHOLD);
            int delay = Manifest.intOr(probe.path("initialDelaySeconds"), 0);
            long budget = delay + (long) failures * period;
            long needed = WARM_UP_MARGIN * CONTRACT.warmUp().toSeconds();
            assertThat(budget)
                    .as("[06.21] the startupProbe allows %d s (initialDelaySeconds %d + failureThreshold %d x "
                            + "periodSeconds %d) but the cache warms in about %d s, so it should allow at least %d: "
                            + "on a busy node the kubelet kills the container before it has started, again and "
                            + "again (CrashLoopBackOff) (README 06.21)", budget, delay, failures, period,
                            CONTRACT.warmUp().toSeconds(), needed)
                    .isGreaterThanOrEqualTo(needed);
        }

        private JsonNode probe(String name, String withoutIt) {
            JsonNode probe = manifest.container().path(name);
            if (probe.isMissingNode() || probe.isNull()) {
                return fail("[06.21] the container has no %s: %s (README 06.21)", name, withoutIt);
            }
            return probe;
        }

        private void assertHttpGet(String name, JsonNode probe, String path, String otherwise) {
            JsonNode httpGet = probe.path("httpGet");
            if (httpGet.isMissingNode()) {
                fail("[06.21] the %s is not an httpGet: the service's contract is HTTP on %s, and an exec or "
                        + "tcpSocket probe does not ask it (README 06.21)", name, path);
            }
            assertThat(httpGet.path("path").asString("/"))
                    .as("[06.21] the %s asks %s, not %s: %s (README 06.21)", name,
                            httpGet.path("path").asString("/"), path, otherwise)
                    .isEqualTo(path);
            int servicePort = manifest.servicePort();
            Optional<Integer> port = manifest.resolvePort(httpGet.path("port"));
            assertThat(port)
                    .as("[06.21] the %s asks port %s, which is %s, but the service listens on %d (--port): the "
                            + "probe finds nothing there and fails (README 06.21)", name, httpGet.path("port"),
                            port.map(p -> "container port " + p).orElse("no declared container port"), servicePort)
                    .contains(servicePort);
        }
    }

    @Nested
    @DisplayName("a shutdown")
    class AShutdown {

        @Test
        @DisplayName("keeps serving while the endpoints forget the pod (a preStop sleep of at least the contract's delay)")
        void waitsBeforeTheSignal() {
            long sleep = preStopSleepSeconds();
            assertThat(sleep)
                    .as("[06.21] the preStop hook sleeps %d s but the contract's pre-stop delay is %d s: the kubelet "
                            + "sends SIGTERM while kube-proxies and load balancers still route new requests to the "
                            + "pod, and those are refused (README 06.21)", sleep, CONTRACT.preStopDelay().toSeconds())
                    .isGreaterThanOrEqualTo(CONTRACT.preStopDelay().toSeconds());
        }

        @Test
        @DisplayName("fits in the grace period: preStop + the service's own pre-stop + drain <= terminationGracePeriodSeconds")
        void fitsInTheGracePeriod() {
            JsonNode podSpec = manifest.deployment().path("spec").path("template").path("spec");
            int grace = Manifest.intOr(podSpec.path("terminationGracePeriodSeconds"),
                    Manifest.DEFAULT_GRACE_SECONDS);
            long hook = preStopSleepSecondsOrZero();
            // the service's own settings; Main's defaults are the contract's (PRODUCTION)
            long ownPreStop = manifest.argSeconds("--pre-stop-ms", CONTRACT.preStopDelay().toSeconds());
            long drain = manifest.argSeconds("--drain-ms", CONTRACT.drainTimeout().toSeconds());
            long needed = hook + ownPreStop + drain;
            assertThat((long) grace)
                    .as("[06.21] terminationGracePeriodSeconds is %d s but the preStop hook (%d s), the service's own "
                            + "pre-stop delay (%d s, --pre-stop-ms) and its drain (%d s, --drain-ms) need %d s: the "
                            + "grace period counts from the start of the preStop hook, and at its end the kubelet "
                            + "sends SIGKILL mid-drain (README 06.21)", grace, hook, ownPreStop, drain, needed)
                    .isGreaterThanOrEqualTo(needed);
        }

        /** The preStop hook's sleep: the native sleep action (Kubernetes 1.30+) or an exec of sleep. */
        private long preStopSleepSeconds() {
            JsonNode preStop = manifest.container().path("lifecycle").path("preStop");
            if (preStop.isMissingNode() || preStop.isNull()) {
                return fail("[06.21] the container has no lifecycle.preStop hook: the kubelet sends SIGTERM the "
                        + "moment the pod is deleted, while kube-proxies and load balancers still route new "
                        + "requests to it for a few seconds, and those are refused (README 06.21)");
            }
            if (!preStop.path("sleep").isMissingNode()) {
                return Manifest.intOr(preStop.path("sleep").path("seconds"), 0);
            }
            List<String> command = preStop.path("exec").path("command").values().stream()
                    .map(JsonNode::asString).toList();
            // ["sleep", "5"], or a shell: ["/bin/sh", "-c", "sleep 5"]
            String line = String.join(" ", command);
            java.util.regex.Matcher sleep = java.util.regex.Pattern.compile("(?:^|[\\s/;&])sleep\\s+(\\d+)")
                    .matcher(line);
            if (!sleep.find()) {
                return fail("[06.21] the preStop hook is %s: neither the sleep action (lifecycle.preStop.sleep."
                        + "seconds, Kubernetes 1.30+) nor an exec of sleep, so it does not hold the SIGTERM back for "
                        + "a known time (README 06.21)", preStop);
            }
            return Long.parseLong(sleep.group(1));
        }

        private long preStopSleepSecondsOrZero() {
            JsonNode preStop = manifest.container().path("lifecycle").path("preStop");
            return preStop.isMissingNode() || preStop.isNull() ? 0 : preStopSleepSeconds();
        }
    }

    @Nested
    @DisplayName("the Service")
    class TheService {

        @Test
        @DisplayName("selects the Deployment's pods")
        void selectsThePods() {
            JsonNode service = manifest.the("Service", "no stable address routes to the ready pods");
            Map<String, String> selector = Manifest.strings(service.path("spec").path("selector"));
            assertThat(Manifest.selects(selector, manifest.podLabels()))
                    .as("[06.21] the Service selects %s but the pods are labelled %s: it has no endpoints, and "
                            + "every request to it is refused (README 06.21)", selector, manifest.podLabels())
                    .isTrue();
        }

        @Test
        @DisplayName("sends its traffic to the port the service listens on (targetPort)")
        void targetsTheServicePort() {
            JsonNode service = manifest.the("Service", "no stable address routes to the ready pods");
            JsonNode ports = service.path("spec").path("ports");
            if (!ports.isArray() || ports.isEmpty()) {
                fail("[06.21] the Service has no ports: it forwards nothing (README 06.21)");
            }
            int servicePort = manifest.servicePort();
            for (JsonNode port : ports.values()) {
                JsonNode target = port.path("targetPort").isMissingNode() ? port.path("port") : port.path("targetPort");
                Optional<Integer> resolved = manifest.resolvePort(target);
                assertThat(resolved)
                        .as("[06.21] the Service's port %s forwards to targetPort %s%s, but the service listens on "
                                + "%d (--port): every connection is refused (README 06.21)", port.path("port"), target,
                                port.path("targetPort").isMissingNode() ? " (not set: the same as port)" : "",
                                servicePort)
                        .contains(servicePort);
            }
        }
    }

    @Nested
    @DisplayName("the PodDisruptionBudget")
    class ThePodDisruptionBudget {

        @Test
        @DisplayName("selects the Deployment's pods")
        void selectsThePods() {
            JsonNode budget = manifest.the("PodDisruptionBudget", "a node drain may evict every pod at once");
            Map<String, String> selector = Manifest.strings(
                    budget.path("spec").path("selector").path("matchLabels"));
            assertThat(Manifest.selects(selector, manifest.podLabels()))
                    .as("[06.21] the PodDisruptionBudget selects %s but the pods are labelled %s: it guards no pod, "
                            + "and a node drain evicts them all at once (README 06.21)", selector, manifest.podLabels())
                    .isTrue();
        }

        @Test
        @DisplayName("keeps at least one pod through a node drain, and lets the drain evict at least one")
        void keepsOneAndLetsOneGo() {
            JsonNode spec = manifest.the("PodDisruptionBudget", "a node drain may evict every pod at once")
                    .path("spec");
            int replicas = Manifest.intOr(manifest.deployment().path("spec").path("replicas"), 1);
            JsonNode minField = spec.path("minAvailable");
            JsonNode maxField = spec.path("maxUnavailable");
            if (minField.isMissingNode() == maxField.isMissingNode()) {
                fail("[06.21] the PodDisruptionBudget sets %s: it takes exactly one of minAvailable and "
                        + "maxUnavailable (README 06.21)", minField.isMissingNode() ? "neither" : "both");
            }
            // the disruption controller rounds a percentage up, for minAvailable and maxUnavailable alike
            int kept = minField.isMissingNode() ? replicas - percentOrInt(maxField, "maxUnavailable").pods(replicas, true)
                    : percentOrInt(minField, "minAvailable").pods(replicas, true);
            String said = minField.isMissingNode() ? "maxUnavailable " + maxField.asString()
                    : "minAvailable " + minField.asString();
            assertThat(kept)
                    .as("[06.21] the PodDisruptionBudget's %s keeps %d of %d pods through a drain: a node drain may "
                            + "evict every pod of the service at once (README 06.21)", said, Math.max(kept, 0),
                            replicas)
                    .isGreaterThanOrEqualTo(1);
            assertThat(kept)
                    .as("[06.21] the PodDisruptionBudget's %s keeps all %d pods: it allows no eviction at all, so "
                            + "kubectl drain waits forever and a node upgrade is stuck (README 06.21)", said, replicas)
                    .isLessThan(replicas);
        }

        private IntOrPercent percentOrInt(JsonNode field, String name) {
            return IntOrPercent.of(field).orElseGet(() -> fail(
                    "[06.21] the PodDisruptionBudget's %s is %s: neither a number nor a percentage (README 06.21)",
                    name, field));
        }
    }
}
