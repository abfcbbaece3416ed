# Juggler EE on Open Liberty: the EAR with the repository's server.xml (features and ports only),
# port 8080 on all interfaces; settings are the same JUGGLER_* environment variables as on Payara.
# Build context: the repository root, after ./mvnw -B package -DskipTests
#   docker build -f docker/liberty.Dockerfile -t juggler-ee/liberty .
FROM icr.io/appcafe/open-liberty:26.0.0.3-full-java17-openj9-ubi
COPY --chown=1001:0 src/main/liberty/config/server.xml /config/server.xml
COPY --chown=1001:0 juggler-ear/target/juggler-ear.ear /config/dropins/juggler-ear.ear
ENV HTTP_HOST=* HTTP_PORT=8080 JUGGLER_REDIS_URL=redis://redis:6379
EXPOSE 8080
