# syntax=docker/dockerfile:1
# Build: docker build -t lullaby .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=docker
RUN CGO_ENABLED=0 go build -trimpath -tags nodynamic -ldflags "-s -w -X main.version=${VERSION}" -o /out/lullaby ./cmd/lullaby \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lullaby /usr/local/bin/lullaby
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV LULLABY_ADDR=:8080 \
    LULLABY_DATA_DIR=/data
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/local/bin/lullaby", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/lullaby"]
CMD ["serve"]
