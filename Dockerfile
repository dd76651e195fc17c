# syntax=docker/dockerfile:1
# bulletin: a static binary on a distroless base, running as a non-root user,
# with its data (snapshots and index) on a volume.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/bulletin ./cmd/bulletin \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot AS run
COPY --from=build /out/bulletin /usr/local/bin/bulletin
COPY config/bulletin.toml /etc/bulletin/bulletin.toml
COPY --from=build --chown=65532:65532 /out/data /data
# Receiving bulletins by e-mail is off unless configured: build with
# --build-arg SMTP_PORT=2525 to listen for mail on that port and expose it
# (publish it as 25: docker run -p 25:2525 …), or set BULLETIN_SMTP_LISTEN
# at run time. Either way the config needs a source with mail addresses.
ARG SMTP_PORT=
ENV BULLETIN_CONFIG=/etc/bulletin/bulletin.toml \
    BULLETIN_DATA_DIR=/data \
    BULLETIN_LISTEN=0.0.0.0:8080 \
    BULLETIN_SMTP_LISTEN=${SMTP_PORT:+0.0.0.0:${SMTP_PORT}}
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080 ${SMTP_PORT}
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/bulletin", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/bulletin"]
CMD ["serve"]
