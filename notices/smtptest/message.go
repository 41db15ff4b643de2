package smtptest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
)

// Message is a message the server accepted, decoded.
type Message struct {
	// From and To are the envelope's MAIL FROM and RCPT TO.
	From string
	To   []string
	// Header is the message header; Subject is its Subject decoded.
	Header  mail.Header
	Subject string
	// Text is the first text/plain part, decoded to UTF-8.
	Text string
	// Attachments are the parts with a file name, decoded.
	Attachments []Attachment
	// Raw is the message as received.
	Raw []byte
}

// Attachment is a decoded attachment.
type Attachment struct {
	Filename    string
	ContentType string
	Data        []byte
}

// parse decodes a MIME message.
func parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, fmt.Errorf("read message: %w", err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Message{}, fmt.Errorf("decode subject: %w", err)
	}
	m := Message{Header: msg.Header, Subject: subject, Raw: raw}
	if err := m.walk(msg.Header, msg.Body); err != nil {
		return Message{}, err
	}
	return m, nil
}

// walk decodes a part and, for multipart parts, its children.
func (m *Message) walk(header map[string][]string, body io.Reader) error {
	get := func(k string) string {
		if v := header[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	ct := get("Content-Type")
	if ct == "" {
		ct = "text/plain; charset=utf-8"
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("content type %q: %w", ct, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("next part: %w", err)
			}
			if err := m.walk(p.Header, p); err != nil {
				return err
			}
		}
	}
	data, err := decodeBody(get("Content-Transfer-Encoding"), body)
	if err != nil {
		return err
	}
	filename := params["name"]
	if _, dp, err := mime.ParseMediaType(get("Content-Disposition")); err == nil && dp["filename"] != "" {
		filename = dp["filename"]
	}
	if filename != "" {
		var dec mime.WordDecoder
		if d, err := dec.DecodeHeader(filename); err == nil {
			filename = d
		}
		m.Attachments = append(m.Attachments, Attachment{Filename: filename, ContentType: mediaType, Data: data})
		return nil
	}
	if mediaType == "text/plain" && m.Text == "" {
		m.Text = string(data)
	}
	return nil
}

// decodeBody undoes a content transfer encoding.
func decodeBody(encoding string, body io.Reader) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, body))
		if err != nil {
			return nil, fmt.Errorf("decode base64: %w", err)
		}
		return b, nil
	case "quoted-printable":
		b, err := io.ReadAll(quotedprintable.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("decode quoted-printable: %w", err)
		}
		return b, nil
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	return b, nil
}
