// Package config is alusdok's one typed configuration, read once in cmd/alusdok
// from flags and ALUSDOK_* environment variables and passed down. Nothing
// below cmd/ reads the environment.
//
// The struct tags are read by kong (flags, environment variables, defaults,
// help); README.md's configuration table is generated from the same tags
// (see Reference) and a test keeps the two equal.
package config

import (
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"
)

// Temporal says how to reach a Temporal cluster.
type Temporal struct {
	Address   string `name:"temporal-address" env:"ALUSDOK_TEMPORAL_ADDRESS" default:"127.0.0.1:7233" help:"Temporal frontend host:port."`
	Namespace string `name:"temporal-namespace" env:"ALUSDOK_TEMPORAL_NAMESPACE" default:"default" help:"Temporal namespace."`
	TaskQueue string `name:"temporal-task-queue" env:"ALUSDOK_TEMPORAL_TASK_QUEUE" default:"alusdok" help:"Task queue the worker polls and the API starts workflows on."`
	TLSCert   string `name:"temporal-tls-cert" env:"ALUSDOK_TEMPORAL_TLS_CERT" help:"Client certificate (PEM file) for mutual TLS to Temporal; enables TLS."`
	TLSKey    string `name:"temporal-tls-key" env:"ALUSDOK_TEMPORAL_TLS_KEY" help:"Client private key (PEM file) for mutual TLS to Temporal."`
	TLSCA     string `name:"temporal-tls-ca" env:"ALUSDOK_TEMPORAL_TLS_CA" help:"CA certificate (PEM file) that signed Temporal's server certificate; enables TLS."`
	TLSServer string `name:"temporal-tls-server-name" env:"ALUSDOK_TEMPORAL_TLS_SERVER_NAME" help:"Server name expected in Temporal's certificate (default: the address's host)."`
}

// TLSEnabled reports whether any TLS option was given.
func (t Temporal) TLSEnabled() bool {
	return t.TLSCert != "" || t.TLSCA != "" || t.TLSServer != ""
}

// Codec configures the encryption of Temporal payloads (package codec):
// the keys, from a file (never from the database), and the
// origins allowed to ask the API's codec endpoint (the Temporal UI's).
type Codec struct {
	KeysFile    string   `name:"codec-keys-file" env:"ALUSDOK_CODEC_KEYS_FILE" help:"File of the AES-256 keys that encrypt Temporal payloads, one id:base64key per line, the first encrypting (alusdok dev makes one in its data directory)."`
	CORSOrigins []string `name:"codec-cors-origins" env:"ALUSDOK_CODEC_CORS_ORIGINS" help:"Origins (the Temporal UI's) allowed to call the API's codec endpoint from a browser."`
}

// Mongo says how to reach the MongoDB database.
type Mongo struct {
	URI      Secret `name:"mongodb-uri" env:"ALUSDOK_MONGODB_URI" default:"mongodb://127.0.0.1:27017/" help:"MongoDB connection string (a replica set in production)."`
	Database string `name:"mongodb-database" env:"ALUSDOK_MONGODB_DATABASE" default:"alusdok" help:"MongoDB database name."`
}

// HTTP configures the API server.
type HTTP struct {
	Addr string `name:"http-addr" env:"ALUSDOK_HTTP_ADDR" default:"127.0.0.1:8080" help:"Address the HTTP API listens on."`
}

// Health configures the worker's own health endpoint.
type Health struct {
	Addr string `name:"health-addr" env:"ALUSDOK_HEALTH_ADDR" help:"Address for the worker's /healthz and /readyz (empty: none)."`
}

// Shutdown bounds the graceful stop after SIGTERM.
type Shutdown struct {
	Timeout time.Duration `name:"shutdown-timeout" env:"ALUSDOK_SHUTDOWN_TIMEOUT" default:"30s" help:"How long in-flight HTTP requests and activities may run after SIGTERM."`
}

// Log configures the process's one slog.Logger.
type Log struct {
	Level  slog.Level `name:"log-level" env:"ALUSDOK_LOG_LEVEL" default:"info" help:"Log level: debug, info, warn, error."`
	Format string     `name:"log-format" env:"ALUSDOK_LOG_FORMAT" default:"text" enum:"text,json" help:"Log format: text or json."`
}

// Embedded configures the in-process Temporal server and FerretDB of
// "alusdok dev".
type Embedded struct {
	Data           string `name:"data" env:"ALUSDOK_DATA" default:"./data" help:"Directory for the embedded servers' SQLite files."`
	TemporalPort   int    `name:"temporal-port" env:"ALUSDOK_TEMPORAL_PORT" default:"7233" help:"Port of the embedded Temporal frontend (gRPC)."`
	TemporalUIPort int    `name:"temporal-ui-port" env:"ALUSDOK_TEMPORAL_UI_PORT" default:"8233" help:"Port of the embedded Temporal web UI (0: no UI)."`
	MongoPort      int    `name:"mongodb-port" env:"ALUSDOK_MONGODB_PORT" default:"27017" help:"Port of the embedded MongoDB wire-protocol server (FerretDB)."`
}

// OIDC configures the OpenID Connect bearer tokens with which people (clerks,
// supervisors, Kutsekoda staff, persons) call the API. Systems use API keys.
type OIDC struct {
	Issuer             string `name:"oidc-issuer" env:"ALUSDOK_OIDC_ISSUER" help:"OpenID Connect issuer URL whose bearer tokens the API accepts (empty: bearer tokens are refused; systems use API keys)."`
	Audience           string `name:"oidc-audience" env:"ALUSDOK_OIDC_AUDIENCE" default:"alusdok" help:"Audience (aud) that a bearer token must name."`
	RoleClaim          string `name:"oidc-role-claim" env:"ALUSDOK_OIDC_ROLE_CLAIM" default:"role" help:"Claim holding the alusdok role (submitter, clerk, supervisor, person), a string or a list with one of them; a dotted path reaches into objects."`
	OrganisationClaim  string `name:"oidc-org-claim" env:"ALUSDOK_OIDC_ORG_CLAIM" default:"org" help:"Claim holding a submitter's organisation: kutsekoda or an awarding body's 8-digit registry code."`
	PersonalCodeClaim  string `name:"oidc-personal-code-claim" env:"ALUSDOK_OIDC_PERSONAL_CODE_CLAIM" default:"personal_code" help:"Claim holding a person's personal code (sub for Estonian eID)."`
	PersonalCodePrefix string `name:"oidc-personal-code-prefix" env:"ALUSDOK_OIDC_PERSONAL_CODE_PREFIX" help:"Prefix stripped from the personal-code claim (EE for Estonian eID, whose sub is EE36805280109)."`
	NameClaim          string `name:"oidc-name-claim" env:"ALUSDOK_OIDC_NAME_CLAIM" default:"name" help:"Claim holding the display name written to the processing and data-access logs."`
	// The web front's sign-in: the authorization-code flow with PKCE, whose
	// client id is the audience.
	ClientSecret Secret `name:"oidc-client-secret" env:"ALUSDOK_OIDC_CLIENT_SECRET" help:"Client secret of the web front's OpenID Connect sign-in (authorization-code flow with PKCE; the client id is --oidc-audience; empty: a public client)."`
	WebURL       string `name:"web-url" env:"ALUSDOK_WEB_URL" help:"Public base URL of the web front (https://…), to which the issuer sends the browser back after sign-in (empty: the web front offers no OpenID Connect sign-in)."`
}

// Limits bounds what one request and one client may cost the API.
type Limits struct {
	MaxBody        ByteSize `name:"max-body" env:"ALUSDOK_MAX_BODY" default:"25MiB" help:"Largest request body accepted; a larger one is answered 413 before it is read."`
	Rate           float64  `name:"rate-limit" env:"ALUSDOK_RATE_LIMIT" default:"20" help:"Requests per second that each API key, person or anonymous client address may make on average (0: no limit)."`
	Burst          int      `name:"rate-burst" env:"ALUSDOK_RATE_BURST" default:"40" help:"Requests a client may make at once above the average rate."`
	TrustedProxies []string `name:"trusted-proxies" env:"ALUSDOK_TRUSTED_PROXIES" help:"Comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For is believed (empty: the connection's address is the client's)."`
}

// AccessLog configures the data-access log (Andmejälgija).
type AccessLog struct {
	Key Secret `name:"accesslog-key" env:"ALUSDOK_ACCESSLOG_KEY" help:"Secret of at least 32 characters that keys the hash under which the data-access log files personal codes (empty: a key kept in the database, for development only)."`
}

// Secret is a configuration value that must not be shown: it prints and logs
// as a mask.
type Secret string

// String masks the secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// LogValue masks the secret in slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// ByteSize is a number of bytes, written as 26214400, 25MiB, 512KiB or 1GB.
type ByteSize int64

var byteUnits = []struct {
	suffix string
	size   int64
}{
	{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1},
}

// UnmarshalText reads a size with an optional unit suffix.
func (b *ByteSize) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	mult := int64(1)
	for _, u := range byteUnits {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(rest), u.size
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/mult {
		return fmt.Errorf("byte size %q: want a whole number with an optional unit (B, KiB, MiB, GiB, KB, MB, GB)", text)
	}
	*b = ByteSize(n * mult)
	return nil
}

// String writes the size in the largest binary unit that divides it.
func (b ByteSize) String() string {
	for _, u := range byteUnits[:3] {
		if b != 0 && int64(b)%u.size == 0 {
			return strconv.FormatInt(int64(b)/u.size, 10) + u.suffix
		}
	}
	return strconv.FormatInt(int64(b), 10)
}
