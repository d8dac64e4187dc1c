# streamwreck — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
MVN ?= mvn
MVN_FLAGS ?= -B -ntp
LOCAL_JAR := local/target/local.jar

.PHONY: help deps build test run up down bench clean image deploy deploy-plan undeploy

# AWS deployment (cfn/, README "Deploy to AWS"). Override on the command line: make deploy BUCKET=… REGION=…
STACK ?= streamwreck
VPC_STACK ?= streamwreck-vpc
REGION ?= $(or $(AWS_REGION),$(AWS_DEFAULT_REGION))
BUCKET ?=
IMAGE_REPO ?= streamwreck-processor
ADAPTER_IMAGE_REPO ?= streamwreck-adapter
IMAGE_TAG ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo latest)
FLEET_SIZE ?= 2
EGRESS ?= endpoints
PARAMS ?=
AWS_VARS = STACK='$(STACK)' VPC_STACK='$(VPC_STACK)' REGION='$(REGION)' BUCKET='$(BUCKET)' \
	IMAGE_REPO='$(IMAGE_REPO)' IMAGE_TAG='$(IMAGE_TAG)' FLEET_SIZE='$(FLEET_SIZE)' EGRESS='$(EGRESS)' \
	PARAMS='$(PARAMS)' MVN='$(MVN)'

help:
	@echo "make run    — the whole system on the local stack, ending in a report"
	@echo "make test   — the full test suite (installs and starts every server it needs, stops them after)"
	@echo "make up     — the same system as make run, left running in the background (prints what to try); make down stops it"
	@echo "make build  — compile and package every module (no tests)"
	@echo "make bench  — run the benchmarks and write bench/RESULTS.md"
	@echo "make deps   — install what the local stack needs (Redis, kinesis-local)"
	@echo "make image  — the container images of the processor and the adapter, <module>/target/<module>-image.tar (Jib, no Docker); PUSH=1 pushes them to ECR"
	@echo "make deploy BUCKET=… REGION=… — the whole system on AWS (cfn/vpc.yaml, cfn/template.yaml); DRY_RUN=1 or make deploy-plan prints the commands"
	@echo "make undeploy REGION=… — delete both stacks"

deps:
	@bin/deps

build: deps
	$(MVN) $(MVN_FLAGS) -q install -DskipTests

$(LOCAL_JAR): deps
	$(MVN) $(MVN_FLAGS) -q install -DskipTests -pl local -am

# Unit tests (surefire) and integration tests on the local stack (failsafe), then proof that no server
# outlived the run. Independent modules are built and tested side by side (TEST_THREADS at once: each suite
# starts its own stand-ins on free ports, and a module that reads another's jar declares it, so it waits for it);
# TEST_THREADS=1 runs them one after the other.
TEST_THREADS ?= 2
test: deps
	@export STREAMWRECK_RUN_ID=test-$$$$-$$RANDOM; \
	$(MVN) $(MVN_FLAGS) -T $(TEST_THREADS) install; status=$$?; \
	if ! bin/leftover-servers --run $$STREAMWRECK_RUN_ID --kill; then \
	  echo "make test: servers were left running after the tests (killed now)" >&2; status=1; fi; \
	exit $$status

# The whole story: producer → stream → KCL fleet (with simulated drift) → SNS → notified Lambda → Redis ledger →
# stream-checker, ending in the drift report and whether it matches the simulation (local's cli.RunCommand).
run: build
	java -jar $(LOCAL_JAR) run --state-dir local/target/run

up: build
	@bin/stack-up

down:
	@bin/stack-down

bench: build
	@bench/run

clean:
	$(MVN) $(MVN_FLAGS) -q clean

# The processor fleet's and the adapter's images as OCI tarballs, without a Docker daemon or a registry (bin/build-image).
image:
	@IMAGE_REPO='$(IMAGE_REPO)' ADAPTER_IMAGE_REPO='$(ADAPTER_IMAGE_REPO)' IMAGE_TAG='$(IMAGE_TAG)' IMAGE_BASE='$(IMAGE_BASE)' \
	  PUSH='$(PUSH)' REGION='$(REGION)' MVN='$(MVN)' bin/build-image

# aws cloudformation package + deploy; with DRY_RUN=1 only prints what it would run (bin/deploy).
deploy:
	@$(AWS_VARS) DRY_RUN='$(DRY_RUN)' bin/deploy deploy

deploy-plan:
	@$(AWS_VARS) DRY_RUN=1 bin/deploy deploy

undeploy:
	@$(AWS_VARS) DRY_RUN='$(DRY_RUN)' bin/deploy undeploy
