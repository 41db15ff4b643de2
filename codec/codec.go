// Package codec keeps personal data out of Temporal's storage in clear
// text: a payload codec that encrypts every payload (workflow inputs and
// results, activity inputs and results, update arguments, query answers,
// heartbeat details) with AES-256-GCM before it leaves the process, and
// decrypts it on the way back. The key id travels in the payload's metadata,
// so that keys can be rotated: the first key of a Keyring encrypts, every
// key decrypts. A payload without the encryption marker (recorded before
// the codec, or by a process without keys) passes through unchanged.
//
// Keys come from configuration — a file or an environment variable, never
// from the database: whoever reads MongoDB or Temporal must not also hold
// the key.
package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/protobuf/proto"
)

// Payload metadata of an encrypted payload.
const (
	MetadataEncoding = "binary/encrypted"
	MetadataKeyID    = "encryption-key-id"
)

// Keyring holds the payload keys: the first encrypts, all decrypt.
type Keyring struct {
	current string
	aeads   map[string]cipher.AEAD
}

// ParseKeys reads keys written as "id:base64key", one per line or separated
// by commas; each key is 32 bytes (AES-256). Blank lines and lines starting
// with # are skipped. The first key is the one that encrypts.
func ParseKeys(s string) (*Keyring, error) {
	k := &Keyring{aeads: map[string]cipher.AEAD{}}
	for _, line := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' }) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, b64, ok := strings.Cut(line, ":")
		if !ok || id == "" {
			return nil, errors.New("payload key: want id:base64key")
		}
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(raw) != 32 {
			return nil, fmt.Errorf("payload key %s: want 32 bytes in base64", id)
		}
		if _, dup := k.aeads[id]; dup {
			return nil, fmt.Errorf("payload key %s: given twice", id)
		}
		block, err := aes.NewCipher(raw)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		k.aeads[id] = aead
		if k.current == "" {
			k.current = id
		}
	}
	if k.current == "" {
		return nil, errors.New("payload keys: none given")
	}
	return k, nil
}

// LoadKeys reads a key file (see ParseKeys).
func LoadKeys(path string) (*Keyring, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("payload keys: %w", err)
	}
	k, err := ParseKeys(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// NewKeyLine makes a fresh key line "id:base64key".
func NewKeyLine(id string) (string, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	return id + ":" + base64.StdEncoding.EncodeToString(raw), nil
}

// EnsureKeyFile makes a key file with one fresh key at path unless one is
// there: what `alusdok dev` does on its first start.
func EnsureKeyFile(path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	line, err := NewKeyLine("dev-1")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("payload key file: %w", err)
	}
	if _, err := fmt.Fprintf(f, "# alusdok dev: the key that encrypts Temporal payloads (development only)\n%s\n", line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Encode implements converter.PayloadCodec.
func (k *Keyring) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	aead := k.aeads[k.current]
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("encrypt payload: %w", err)
		}
		nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				converter.MetadataEncoding: []byte(MetadataEncoding),
				MetadataKeyID:              []byte(k.current),
			},
			Data: aead.Seal(nonce, nonce, plain, []byte(k.current)),
		}
	}
	return out, nil
}

// Decode implements converter.PayloadCodec.
func (k *Keyring) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != MetadataEncoding {
			out[i] = p // not encrypted: recorded before the codec
			continue
		}
		id := string(p.GetMetadata()[MetadataKeyID])
		aead, ok := k.aeads[id]
		if !ok {
			return nil, fmt.Errorf("decrypt payload: no key %q", id)
		}
		data := p.GetData()
		if len(data) < aead.NonceSize() {
			return nil, errors.New("decrypt payload: too short")
		}
		plain, err := aead.Open(nil, data[:aead.NonceSize()], data[aead.NonceSize():], []byte(id))
		if err != nil {
			return nil, fmt.Errorf("decrypt payload with key %q: %w", id, err)
		}
		var orig commonpb.Payload
		if err := proto.Unmarshal(plain, &orig); err != nil {
			return nil, fmt.Errorf("decrypt payload: %w", err)
		}
		out[i] = &orig
	}
	return out, nil
}

// DataConverter is the SDK's default converter with this codec: for the
// client, and through it the worker.
func (k *Keyring) DataConverter() converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), k)
}

// FailureConverter encodes failures' messages and stack traces too, so
// that an error naming a person is not stored in clear text.
func (k *Keyring) FailureConverter() converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter: k.DataConverter(), EncodeCommonAttributes: true,
	})
}
