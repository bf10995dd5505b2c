# One image per app: docker build --build-arg APP=cache-writer -t mtp/cache-writer .
# The build stage compiles the whole reactor once; the runtime stage keeps one app's jar and its lib/.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -ntp -DskipTests -DskipITs package

FROM eclipse-temurin:21-jre
ARG APP
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 mtp
WORKDIR /app
# The reconciler keeps its state stores in /app/state (app.reconciler.state-dir). A named volume mounted there
# starts as a copy of this directory, so it must exist and belong to mtp, or the store cannot be written.
RUN mkdir /app/state && chown mtp /app/state
COPY --from=build /src/${APP}/target/${APP}-0.1.0-SNAPSHOT.jar /app/app.jar
COPY --from=build /src/${APP}/target/lib /app/lib
USER mtp
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
