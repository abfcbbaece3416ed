# The interactive juggler.0 client (juggler-client/README.md), connected at start to JUGGLER_URL.
# Build context: the repository root, after ./mvnw -B package -DskipTests
#   docker compose -f docker/compose.yaml run --rm client
FROM eclipse-temurin:17-jre
COPY juggler-client/target/juggler-cli.jar /opt/juggler/juggler-cli.jar
ENV JUGGLER_URL=ws://lb:8080/ws
ENTRYPOINT ["sh", "-c", "exec java -jar /opt/juggler/juggler-cli.jar --url \"$JUGGLER_URL\""]
