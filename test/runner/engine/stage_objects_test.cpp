#include "runner/engine/stage_objects.h"

#include <catch2/catch.hpp>

using namespace podrunner;

namespace {

StageIdentity identity() {
  StageIdentity s;
  s.runnerName = "runner-1";
  s.stageId = 7;
  s.buildNumber = 3;
  s.repoSlug = "octo/app";
  s.timeout = std::chrono::minutes(30);
  return s;
}

pipeline::Step step(const std::string& name, const std::string& image) {
  pipeline::Step s;
  s.name = name;
  s.image = image;
  s.script = "set -e\necho hi\n";
  return s;
}

pipeline::Plan twoStepPlan() {
  pipeline::Plan plan;
  plan.namespaceName = "ci";
  plan.steps = {step("clone", "drone/git"), step("test", "golang:1.22")};
  plan.steps[1].environment = {{"GOFLAGS", "-mod=mod"}};
  plan.steps[1].secretEnvironment = {{"TOKEN", "token"}};
  plan.steps[1].resources.cpuRequestMillis = 500;
  plan.steps[1].resources.memoryRequestBytes = 512LL << 20;
  plan.steps[1].resources.memoryLimitBytes = 1LL << 30;
  plan.secrets = {{"token", "s3cr3t"}};
  plan.masked = {"s3cr3t"};
  plan.workspace.path = "src/app";
  return plan;
}

kube::OwnerReference owner() {
  kube::OwnerReference ref;
  ref.apiVersion = "v1";
  ref.kind = "Secret";
  ref.name = "anchor";
  ref.uid = "uid-1";
  return ref;
}

const kube::EnvVar* env(const kube::Container& c, const std::string& name) {
  for (const auto& e : c.env) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("the stage Secret holds every secret value and is the anchor", "[objects]") {
  const auto plan = twoStepPlan();
  Config config;
  StageObjects objects(plan, identity(), config);
  const auto secret = objects.anchorSecret();
  CHECK(secret.metadata.namespaceName == "ci");
  CHECK(secret.metadata.ownerReferences.empty());
  CHECK(secret.data.at("token") == "s3cr3t");
  CHECK(secret.metadata.labels.at("io.drone.stage.id") == "7");
  kube::Secret created = secret;
  created.metadata.uid = "abc";
  const auto ref = StageObjects::ownerReferenceTo(created);
  CHECK(ref.kind == "Secret");
  CHECK(ref.uid == "abc");
  CHECK(ref.name == secret.metadata.name);
}

TEST_CASE("a step pod gets secrets only by secretKeyRef and never their values", "[objects]") {
  const auto plan = twoStepPlan();
  Config config;
  StageObjects objects(plan, identity(), config);
  PodContext context;
  context.owner = owner();
  const auto pod = objects.stepPod(plan.steps[1], context);
  const auto& c = pod.spec.containers.at(0);
  const auto* token = env(c, "TOKEN");
  REQUIRE(token);
  CHECK(token->value.empty());
  CHECK(token->secretName == objects.anchorSecret().metadata.name);
  CHECK(token->secretKey == "token");
  for (const auto& e : c.env) CHECK(e.value.find("s3cr3t") == std::string::npos);
  CHECK(c.args.at(0).find("s3cr3t") == std::string::npos);
}

TEST_CASE("a step pod runs its script with /bin/sh -c in the workspace", "[objects]") {
  const auto plan = twoStepPlan();
  Config config;
  StageObjects objects(plan, identity(), config);
  PodContext context;
  context.owner = owner();
  const auto pod = objects.stepPod(plan.steps[1], context);
  const auto& c = pod.spec.containers.at(0);
  CHECK(c.command == std::vector<std::string>{"/bin/sh", "-c"});
  CHECK(c.args == std::vector<std::string>{"set -e\necho hi\n"});
  CHECK(c.workingDir == "/drone/src/src/app");
  CHECK(c.image == "golang:1.22");
  CHECK(c.imagePullPolicy == "IfNotPresent");
  REQUIRE(c.volumeMounts.size() == 1);
  CHECK(c.volumeMounts[0].name == StageObjects::kWorkspaceVolume);
  CHECK(c.volumeMounts[0].mountPath == "/drone/src");
  CHECK(env(c, "GOFLAGS")->value == "-mod=mod");
}

TEST_CASE("a step pod carries labels, owner, restart policy, deadline and account", "[objects]") {
  auto plan = twoStepPlan();
  plan.serviceAccountName = "deployer";
  Config config;
  config.defaults.automountServiceAccountToken = false;
  StageObjects objects(plan, identity(), config);
  PodContext context;
  context.owner = owner();
  const auto pod = objects.stepPod(plan.steps[1], context);
  CHECK(pod.metadata.labels.at("io.drone.step") == "test");
  CHECK(pod.metadata.labels.at("io.drone.repo") == "octo.app");
  REQUIRE(pod.metadata.ownerReferences.size() == 1);
  CHECK(pod.metadata.ownerReferences[0].uid == "uid-1");
  CHECK(pod.spec.restartPolicy == "Never");
  CHECK(pod.spec.activeDeadlineSeconds == 1800);
  CHECK(pod.spec.serviceAccountName == "deployer");
  CHECK(pod.spec.automountServiceAccountToken == false);
  CHECK(pod.spec.enableServiceLinks == false);
}

TEST_CASE("the service account and its token default from the settings", "[objects]") {
  const auto plan = twoStepPlan();
  Config config;
  config.defaults.serviceAccount = "ci-runner";
  StageObjects objects(plan, identity(), config);
  const auto pod = objects.stepPod(plan.steps[0], PodContext{});
  CHECK(pod.spec.serviceAccountName == "ci-runner");
  CHECK(pod.spec.automountServiceAccountToken == true);
}

TEST_CASE("DRONE_BUILD_STATUS and DRONE_STAGE_STATUS tell the state at pod creation", "[objects]") {
  const auto plan = twoStepPlan();
  Config config;
  StageObjects objects(plan, identity(), config);
  PodContext ok;
  const auto passing = objects.stepPod(plan.steps[1], ok).spec.containers[0];
  CHECK(env(passing, "DRONE_BUILD_STATUS")->value == "success");
  CHECK(env(passing, "DRONE_STAGE_STATUS")->value == "success");
  CHECK(env(passing, "DRONE_FAILED_STEPS") == nullptr);
  PodContext failed;
  failed.stageFailed = true;
  failed.failedSteps = {"lint", "test"};
  const auto failing = objects.stepPod(plan.steps[1], failed).spec.containers[0];
  CHECK(env(failing, "DRONE_BUILD_STATUS")->value == "failure");
  CHECK(env(failing, "DRONE_STAGE_STATUS")->value == "failure");
  CHECK(env(failing, "DRONE_FAILED_STEPS")->value == "lint,test");
}

TEST_CASE("a ReadWriteOnce workspace pins later pods and sizes the first for the largest step",
          "[objects]") {
  const auto plan = twoStepPlan();
  Config config;
  StageObjects objects(plan, identity(), config);
  CHECK(objects.pinsToFirstNode());
  PodContext first;
  first.firstPinnedPod = true;
  const auto clone = objects.stepPod(plan.steps[0], first);
  CHECK(clone.spec.containers[0].resources.requests.cpuMillis == 500);
  CHECK(clone.spec.containers[0].resources.requests.memoryBytes == (512LL << 20));
  CHECK(clone.spec.requiredNodeLabel.empty());
  PodContext later;
  later.pinnedNode = "node-7";
  const auto test = objects.stepPod(plan.steps[1], later);
  CHECK(test.spec.requiredNodeLabel == "kubernetes.io/hostname");
  CHECK(test.spec.requiredNodeValues == std::vector<std::string>{"node-7"});
  CHECK(test.spec.containers[0].resources.limits.memoryBytes == (1LL << 30));
}

TEST_CASE("a ReadWriteMany workspace pins nothing", "[objects]") {
  const auto plan = twoStepPlan();
  Config config;
  config.engine.workspaceAccessMode = "ReadWriteMany";
  StageObjects objects(plan, identity(), config);
  CHECK_FALSE(objects.pinsToFirstNode());
  const auto claim = objects.workspaceClaim(owner());
  REQUIRE(claim);
  CHECK(claim->accessModes == std::vector<std::string>{"ReadWriteMany"});
}

TEST_CASE("the workspace claim takes class, size and owner from the settings", "[objects]") {
  const auto plan = twoStepPlan();
  Config config;
  config.engine.workspaceStorageClass = "local-path";
  config.engine.workspaceSizeBytes = 5LL << 30;
  StageObjects objects(plan, identity(), config);
  const auto claim = objects.workspaceClaim(owner());
  REQUIRE(claim);
  CHECK(claim->storageClassName == std::optional<std::string>("local-path"));
  CHECK(claim->storageBytes == (5LL << 30));
  CHECK(claim->accessModes == std::vector<std::string>{"ReadWriteOnce"});
  CHECK(claim->metadata.ownerReferences.at(0).uid == "uid-1");
  const auto pod = objects.stepPod(plan.steps[0], PodContext{});
  CHECK(pod.spec.volumes.at(0).source == kube::Volume::Source::PersistentVolumeClaim);
  CHECK(pod.spec.volumes.at(0).objectName == claim->metadata.name);
  Config clusterDefault;
  CHECK_FALSE(
      StageObjects(plan, identity(), clusterDefault).workspaceClaim(owner())->storageClassName);
}

TEST_CASE("a stage of one step and no service needs no claim", "[objects]") {
  auto plan = twoStepPlan();
  plan.steps.pop_back();
  Config config;
  StageObjects objects(plan, identity(), config);
  CHECK_FALSE(objects.workspaceClaim(owner()));
  CHECK_FALSE(objects.pinsToFirstNode());
  const auto pod = objects.stepPod(plan.steps[0], PodContext{});
  CHECK(pod.spec.volumes.at(0).source == kube::Volume::Source::EmptyDir);
}

TEST_CASE("host workspace mode mounts a per-stage directory and pins", "[objects]") {
  const auto plan = twoStepPlan();
  Config config;
  config.engine.workspaceMode = "host";
  config.engine.workspaceHostPath = "/var/lib/podrunner";
  StageObjects objects(plan, identity(), config);
  CHECK_FALSE(objects.workspaceClaim(owner()));
  CHECK(objects.pinsToFirstNode());
  const auto volume = objects.stepPod(plan.steps[0], PodContext{}).spec.volumes.at(0);
  CHECK(volume.source == kube::Volume::Source::HostPath);
  CHECK(volume.path.rfind("/var/lib/podrunner/drone-3-1-workspace-", 0) == 0);
  CHECK(volume.hostPathType == "DirectoryOrCreate");
}

TEST_CASE("registry credentials become one dockerconfigjson Secret the pods reference",
          "[objects]") {
  auto plan = twoStepPlan();
  plan.registries = {{"https://index.docker.io/v1/", "octo", "pa:ss"}};
  Config config;
  StageObjects objects(plan, identity(), config);
  const auto secret = objects.registrySecret(owner());
  REQUIRE(secret);
  CHECK(secret->type == "kubernetes.io/dockerconfigjson");
  CHECK(secret->data.at(".dockerconfigjson") ==
        R"({"auths":{"index.docker.io":{"auth":"b2N0bzpwYTpzcw=="}}})");
  const auto pod = objects.stepPod(plan.steps[0], PodContext{});
  CHECK(pod.spec.imagePullSecrets == std::vector<std::string>{secret->metadata.name});
}

TEST_CASE("placement merges the pipeline's and the step's, security context and pull policy",
          "[objects]") {
  auto plan = twoStepPlan();
  plan.placement.nodeSelector = {{"disk", "ssd"}};
  plan.placement.tolerations = {{"ci", "Exists", "", "NoSchedule", std::nullopt}};
  plan.arch = "arm64";
  auto s = plan.steps[1];
  s.placement.nodeSelector = {{"gpu", "yes"}};
  s.privileged = true;
  s.user = 1000;
  s.pull = pipeline::PullPolicy::Always;
  Config config;
  StageObjects objects(plan, identity(), config);
  const auto pod = objects.stepPod(s, PodContext{});
  CHECK(pod.spec.nodeSelector.at("disk") == "ssd");
  CHECK(pod.spec.nodeSelector.at("gpu") == "yes");
  CHECK(pod.spec.nodeSelector.at("kubernetes.io/arch") == "arm64");
  CHECK(pod.spec.tolerations.size() == 1);
  const auto& c = pod.spec.containers[0];
  REQUIRE(c.securityContext);
  CHECK(c.securityContext->privileged == true);
  CHECK(c.securityContext->runAsUser == 1000);
  CHECK(c.imagePullPolicy == "Always");
}

TEST_CASE("a service pod declares its ports and a TCP readiness probe", "[objects]") {
  auto plan = twoStepPlan();
  auto redis = step("redis", "redis:7");
  redis.script.clear();
  redis.ports = {6379};
  plan.services = {redis};
  Config config;
  StageObjects objects(plan, identity(), config);
  const auto pod = objects.servicePod(redis, PodContext{});
  const auto& c = pod.spec.containers[0];
  CHECK(c.ports == std::vector<int>{6379});
  CHECK(c.readinessTcpPort == 6379);
  CHECK(c.command.empty());
  PodContext withService;
  withService.serviceAliases = {{"10.0.0.5", {"redis"}}};
  const auto stepPod = objects.stepPod(plan.steps[1], withService);
  REQUIRE(stepPod.spec.hostAliases.size() == 1);
  CHECK(stepPod.spec.hostAliases[0].ip == "10.0.0.5");
}
