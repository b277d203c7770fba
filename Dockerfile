# syntax=docker/dockerfile:1
# employee-api image: compiled with the Maven wrapper on a JDK 25, run on a JRE 25 as UID 1000 with a read-only
# root filesystem (mount a writable volume at /tmp). The base images are build arguments with pinned defaults;
# deploy/podman-proof.sh substitutes locally made ones. docs/deployment/README.md has the build commands.
# checkov:skip=CKV_DOCKER_7: FROM uses these build arguments, whose defaults are exact version tags
# checkov:skip=CKV_DOCKER_2: no HEALTHCHECK, Kubernetes probes (startup, liveness, readiness) check the container
ARG BUILD_IMAGE=eclipse-temurin:25.0.3_9-jdk-noble
ARG RUNTIME_IMAGE=eclipse-temurin:25.0.3_9-jre-noble

FROM ${BUILD_IMAGE} AS build
# MAVEN_ARGS: extra Maven flags (-o for an offline build against a mounted repository).
# MAVEN_USER_HOME: Maven's home (wrapper distribution + repository), by default the build cache mount.
# MVNW_REPOURL: Maven repository base URL the wrapper downloads Maven from when the build image has no Maven.
ARG MAVEN_ARGS=""
ARG MAVEN_USER_HOME=/root/.m2
ARG MVNW_REPOURL=""
WORKDIR /workspace
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src/main src/main
# Tests and formatting run in CI before the image is built; here only the jar is made, then split into
# Spring Boot's layers (dependencies change rarely, the application on every commit) as a plain app.jar + lib/
# (no launcher layer: the JDK's AOT cache works with `java -jar` on extracted jars, not with the launcher's
# class loader).
# (ARG values are in the environment of RUN, which is how mvnw sees MAVEN_USER_HOME and MVNW_REPOURL.)
RUN --mount=type=cache,id=employee-mgmt-m2,target=/root/.m2 \
    ./mvnw -B ${MAVEN_ARGS} -Dmaven.repo.local="${MAVEN_USER_HOME}/repository" \
        -Dmaven.test.skip=true -Dspotless.check.skip=true package \
    && cp target/employee-api-*.jar app.jar \
    && java -Djarmode=tools -jar app.jar extract --layers --destination extracted \
    && mkdir -p extracted/dependencies extracted/snapshot-dependencies extracted/application

FROM ${RUNTIME_IMAGE}
WORKDIR /app
# Files stay owned by root: the service user can read, not change, its code.
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./
# JDK 25 AOT cache (JEP 483/514): one training start records the classes loaded and linked up to the refreshed
# context, and the JVM that runs the image maps them instead of loading them again. Trained here, in the runtime
# image, because a cache is valid only for the JVM build and the class path that made it. No database during the
# build: Flyway off and an unreachable URL (the pool connects lazily; the context stops at onRefresh, before the
# runners such as the demo data).
# The JVM's tuning flags are in deploy/jvm.options, which the training and the ENTRYPOINT both read
# (`java @jvm.options`): the collector and the object header layout must be the same in both, or the JVM does not
# use the cache. MALLOC_ARENA_MAX=2: fewer glibc malloc arenas (by default up to 8 per core) for the JVM's native
# allocations.
ENV MALLOC_ARENA_MAX=2
COPY deploy/jvm.options ./
RUN SPRING_FLYWAY_ENABLED=false SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:1/none \
    java @jvm.options -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -Djava.io.tmpdir=/tmp \
        -jar app.jar \
    && rm -rf /tmp/*
# Labels after the training: CREATED and REVISION change on every build and would otherwise invalidate the
# cached training layer of an unchanged application (the second build of one commit reuses it).
ARG VERSION=1.0.0-SNAPSHOT
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=""
LABEL org.opencontainers.image.title="employee-api" \
      org.opencontainers.image.description="employee-mgmt: Enterprise Employee Management REST API" \
      org.opencontainers.image.vendor="employee-mgmt" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}"
USER 1000:1000
# 8080: API (routed by the ingress); 9091: management (/metrics, /health), scraped by Prometheus only.
EXPOSE 8080 9091
# Heap at 60 % of the container memory limit leaves room for metaspace, code cache, threads and buffers under the
# 512Mi limit; an OutOfMemoryError ends the process so Kubernetes restarts it. More flags: JAVA_TOOL_OPTIONS.
# jvm.options: the collector (serial), compact object headers, C1 only, JFR's buffers (see the file for why).
# -XX:AOTCache: a cache that does not match is ignored with a warning (the start is just slower); the podman proof
# runs the image with -XX:AOTMode=on, which refuses to start without it.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "@jvm.options", "-XX:+ExitOnOutOfMemoryError", \
            "-Djava.io.tmpdir=/tmp", "-XX:AOTCache=app.aot", "-jar", "app.jar"]
