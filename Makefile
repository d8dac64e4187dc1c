# streamwreck — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
MVN ?= mvn
MVN_FLAGS ?= -B -ntp
LOCAL_JAR := local/target/local.jar

.PHONY: help deps build test run up down bench clean

help:
	@echo "make run    — the whole system on the local stack, ending in a report"
	@echo "make test   — the full test suite (installs and starts every server it needs, stops them after)"
	@echo "make up     — start the local stack in the background and print its endpoints; make down stops it"
	@echo "make build  — compile and package every module (no tests)"
	@echo "make bench  — run the benchmarks and write bench/RESULTS.md"
	@echo "make deps   — install what the local stack needs (Redis, kinesis-local)"

deps:
	@bin/deps

build: deps
	$(MVN) $(MVN_FLAGS) -q install -DskipTests

$(LOCAL_JAR): deps
	$(MVN) $(MVN_FLAGS) -q install -DskipTests -pl local -am

# Unit tests (surefire) and integration tests on the local stack (failsafe), then proof that no server
# outlived the run.
test: deps
	@export STREAMWRECK_RUN_ID=test-$$$$-$$RANDOM; \
	$(MVN) $(MVN_FLAGS) install; status=$$?; \
	if ! bin/leftover-servers --run $$STREAMWRECK_RUN_ID --kill; then \
	  echo "make test: servers were left running after the tests (killed now)" >&2; status=1; fi; \
	exit $$status

run: $(LOCAL_JAR)
	java -jar $(LOCAL_JAR) demo --records 20 --state-dir local/target/run

up: build
	@bin/stack-up

down:
	@bin/stack-down

bench: build
	@bench/run

clean:
	$(MVN) $(MVN_FLAGS) -q clean
