# The one alusdok binary; `alusdok api` and `alusdok worker` run from it.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/alusdok ./cmd/alusdok

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/alusdok /usr/local/bin/alusdok
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/alusdok"]
CMD ["serve"]
