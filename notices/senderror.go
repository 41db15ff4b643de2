package notices

import (
	"context"
	"errors"
	"net/textproto"

	gomail "github.com/wneessen/go-mail"
)

// SendError is a failure to send a notice by e-mail. Permanent failures
// (the server refused the recipient or the sender with a 5xx reply, the
// address is malformed, authentication was refused) will fail again;
// temporary ones (4xx replies, network trouble, timeouts) may succeed on a
// later try. A Temporal activity should return permanent failures as
// non-retryable application errors.
type SendError struct {
	// Permanent tells whether sending again cannot help.
	Permanent bool
	// Code is the SMTP reply code of the refusal, 0 if there was none.
	Code int
	Err  error
}

// Error says whether the failure is permanent and what it was.
func (e *SendError) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	return kind + " failure: " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// IsPermanent reports whether err is, or wraps, a permanent SendError.
func IsPermanent(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}

// classify wraps err from go-mail in a SendError. What is not known to be
// permanent is temporary.
func classify(ctx context.Context, err error) *SendError {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &SendError{Err: err}
	}
	var mailErr *gomail.SendError
	if errors.As(err, &mailErr) {
		code := mailErr.ErrorCode()
		switch {
		case code >= 500:
			return &SendError{Permanent: true, Code: code, Err: err}
		case code >= 400:
			return &SendError{Code: code, Err: err}
		}
		switch mailErr.Reason {
		case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
			return &SendError{Permanent: true, Err: err}
		}
	}
	// Replies during the dialogue before a message is sent (greeting,
	// STARTTLS, AUTH) come as textproto errors.
	var protoErr *textproto.Error
	if errors.As(err, &protoErr) {
		return &SendError{Permanent: protoErr.Code >= 500, Code: protoErr.Code, Err: err}
	}
	return &SendError{Err: err}
}
