# httpmon: one image for every service. Build stage: Maven; run stage: a JRE and the jars.
#   docker build -t httpmon .
#   docker run --rm httpmon reader --help   (reader | parser | stats | alert | display | rules | status | monitor | generate)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# POMs first: the dependency download is a layer of its own, cached until a POM changes; a source change
# compiles offline against it. Every module's POM is listed here (DockerBuildStepsIT builds from this list).
COPY pom.xml ./
COPY common/pom.xml common/
COPY broker/pom.xml broker/
COPY reader-service/pom.xml reader-service/
COPY parser-service/pom.xml parser-service/
COPY windowing/pom.xml windowing/
COPY stats-service/pom.xml stats-service/
COPY alert-service/pom.xml alert-service/
COPY display-service/pom.xml display-service/
COPY monitor/pom.xml monitor/
COPY docker/build-steps.sh docker/
# Packages the POMs alone: resolves every plugin and dependency the build uses, or fails naming what it could not.
RUN docker/build-steps.sh dependencies
COPY . .
# Offline: a dependency the layer above lacks fails here by name instead of being downloaded on every build.
# One copy of the libraries for every service: the monitor's thin jar and its lib/ hold every module and
# dependency (the services' own jars are fat: five of them repeated lib/, 395 MB instead of 120).
RUN docker/build-steps.sh build \
 && mkdir -p /out/lib \
 && cp monitor/target/httpmon.jar /out/ \
 && cp monitor/target/lib/*.jar /out/lib/

FROM eclipse-temurin:17-jre
RUN groupadd --system httpmon && useradd --system --gid httpmon --home-dir /var/lib/httpmon --create-home httpmon \
 && mkdir -p /var/lib/httpmon/streams /var/lib/httpmon/display /var/log/httpmon \
 && chown -R httpmon:httpmon /var/lib/httpmon /var/log/httpmon
COPY --from=build /out/ /opt/httpmon/
COPY docker/entrypoint.sh /usr/local/bin/httpmon
COPY config.cfg /etc/httpmon/config.cfg
USER httpmon
WORKDIR /var/lib/httpmon
ENV HTTPMON_CONFIG=/etc/httpmon/config.cfg
ENTRYPOINT ["/usr/local/bin/httpmon"]
CMD ["--help"]
