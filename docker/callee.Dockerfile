# Juggler EE callees only: the same WAR on Payara Micro with the websocket server role off
# (no /ws, no pumps) and the callee role on. Scale it apart from the servers.
# Build context: the repository root, after ./mvnw -B package -DskipTests
#   docker build -f docker/callee.Dockerfile -t juggler-ee/callee .
FROM eclipse-temurin:17-jre
COPY juggler-launcher/target/runtime/payara-micro.jar /opt/juggler/payara-micro.jar
COPY juggler-web/target/juggler-web.war /opt/juggler/juggler-web.war
ENV JUGGLER_REDIS_URL=redis://redis:6379 JUGGLER_SERVER_ENABLED=false JUGGLER_CALLEE_ENABLED=true
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/juggler/payara-micro.jar", "--deploy", "/opt/juggler/juggler-web.war", "--contextroot", "/", "--port", "8080", "--nocluster", "--nohostaware"]
