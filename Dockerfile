# One image recipe for the three services and the console, built from the repository root:
#   docker build --build-arg SERVICE=study-service --build-arg PORT=8081 -t living-evidence/study-service .
FROM eclipse-temurin:17-jdk AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -pl ${SERVICE} -am package -DskipTests && cp ${SERVICE}/target/${SERVICE}-*.jar /service.jar

FROM eclipse-temurin:17-jre
ARG PORT
ENV PORT=${PORT}
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin evidence
WORKDIR /app
COPY --from=build /service.jar /app/service.jar
# Never root: the service needs no privilege, and its jar (owned by root) is read-only to it.
USER 10001:10001
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=3s --retries=12 CMD curl -fsS "http://localhost:${PORT}/health" || exit 1
# G1 with a pause goal even where the JVM would pick the serial collector (under 2 CPUs or 1792 MiB): its full
# collections stalled /health for hundreds of milliseconds under large analyses (docs/performance.md).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=50", "-jar", "/app/service.jar"]
