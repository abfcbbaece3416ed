# Juggler EE on Payara Micro 6 (Java 17): the WAR at context root /, port 8080, every role that the
# JUGGLER_* environment variables enable (docs/configuration.md).
# Build context: the repository root, after ./mvnw -B package -DskipTests
#   docker build -f docker/payara.Dockerfile -t juggler-ee/payara .
FROM eclipse-temurin:17-jre
COPY juggler-launcher/target/runtime/payara-micro.jar /opt/juggler/payara-micro.jar
COPY juggler-web/target/juggler-web.war /opt/juggler/juggler-web.war
ENV JUGGLER_REDIS_URL=redis://redis:6379
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/opt/juggler/payara-micro.jar", "--deploy", "/opt/juggler/juggler-web.war", "--contextroot", "/", "--port", "8080", "--nocluster", "--nohostaware"]
