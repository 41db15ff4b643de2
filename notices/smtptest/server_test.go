package smtptest

import (
	"net/smtp"
	"strings"
	"testing"
)

const sample = "From: Kutseregister <kr@example.ee>\r\n" +
	"To: oppeosakond@example.ee\r\n" +
	"Subject: =?UTF-8?q?Andmete_parandamise_n=C3=B5ue?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=b1\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Lugupeetud andmete esitaja, =C3=B5=C3=A4=C3=B6=C3=BC\r\n" +
	"--b1\r\n" +
	"Content-Type: application/pdf; name=\"teade.pdf\"\r\n" +
	"Content-Disposition: attachment; filename=\"teade.pdf\"\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"JVBERi0xLjcK\r\n" +
	"--b1--\r\n"

func TestServerRecordsDecodedMessages(t *testing.T) {
	srv := Start(t)
	if err := smtp.SendMail(srv.Addr, nil, "kr@example.ee", []string{"oppeosakond@example.ee"}, []byte(sample)); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.From != "kr@example.ee" || len(m.To) != 1 || m.To[0] != "oppeosakond@example.ee" {
		t.Errorf("envelope %q -> %v", m.From, m.To)
	}
	if m.Subject != "Andmete parandamise nõue" {
		t.Errorf("subject %q", m.Subject)
	}
	if !strings.Contains(m.Text, "Lugupeetud andmete esitaja, õäöü") {
		t.Errorf("text %q", m.Text)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Filename != "teade.pdf" ||
		m.Attachments[0].ContentType != "application/pdf" || string(m.Attachments[0].Data) != "%PDF-1.7\n" {
		t.Errorf("attachments %+v", m.Attachments)
	}
}

func TestServerRefusesChosenRecipients(t *testing.T) {
	srv := Start(t, RejectRecipients(550, "Gone@Example.ee"))
	err := smtp.SendMail(srv.Addr, nil, "kr@example.ee", []string{"gone@example.ee"}, []byte(sample))
	if err == nil || !strings.Contains(err.Error(), "550") {
		t.Errorf("SendMail to refused recipient = %v, want a 550 reply", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages recorded", n)
	}
}
