package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Holder notices (SPEC.md "Beyond the statute"): a certificate's holder is
// told by e-mail when it is entered, a duplicate is entered, it is declared
// invalid, or it expires within six months. Each notice is claimed once per
// certificate and event in the store (insert-only), so a retried activity,
// a crash or a repeated run sends it once. Workflow inputs name submissions
// and certificates, never a person: the activity looks the holder up.

// HolderEvent is why a holder is told.
type HolderEvent string

const (
	HolderEntered     HolderEvent = "entered"
	HolderDuplicate   HolderEvent = "duplicate"
	HolderInvalidated HolderEvent = "invalidated"
	HolderExpiring    HolderEvent = "expiring"
)

// ExpiryScheduleID is the ID of the daily expiry Schedule.
const ExpiryScheduleID = "alusdok-expiry-notices"

// Holder-notice activity names.
const (
	ActivityHolderNotices = "HolderNotices"
	ActivityExpiryNotices = "ExpiryNotices"
)

// HolderNoticesWorkflowID is the workflow ID of the notices of one entry:
// one per submission, so that a second start is refused.
func HolderNoticesWorkflowID(submissionID string) string { return "holder-notices-" + submissionID }

// HolderNoticesInput names the entered submission whose certificates'
// holders are told.
type HolderNoticesInput struct {
	SubmissionID string `json:"submissionId"`
}

// HolderNoticesResult counts the notices.
type HolderNoticesResult struct {
	Sent      int `json:"sent"`      // e-mailed now
	Already   int `json:"already"`   // claimed by an earlier run
	NotMailed int `json:"notMailed"` // no address, turned off, or no SMTP
	Failed    int `json:"failed"`    // the address was refused
}

// ExpiryNoticesInput asks for the notices of certificates that expire
// within Months of Now.
type ExpiryNoticesInput struct {
	Now    time.Time `json:"now"`
	Months int       `json:"months"`
}

func holderActivityOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Minute,
		HeartbeatTimeout:    time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval: 30 * time.Second, BackoffCoefficient: 2, MaximumInterval: 2 * time.Hour,
			MaximumAttempts: 20, // about a day, as the submitters' notices
		},
	})
}

// HolderNoticesWorkflow tells the holders of the certificates one entry
// wrote, duplicated or invalidated.
func HolderNoticesWorkflow(ctx workflow.Context, in HolderNoticesInput) (HolderNoticesResult, error) {
	var res HolderNoticesResult
	err := workflow.ExecuteActivity(holderActivityOptions(ctx), ActivityHolderNotices, in).Get(ctx, &res)
	return res, err
}

// ExpiryNoticesWorkflow tells the holders of certificates that expire
// within six months; the daily schedule starts it.
func ExpiryNoticesWorkflow(ctx workflow.Context) (HolderNoticesResult, error) {
	var res HolderNoticesResult
	err := workflow.ExecuteActivity(holderActivityOptions(ctx), ActivityExpiryNotices,
		ExpiryNoticesInput{Now: workflow.Now(ctx), Months: 6}).Get(ctx, &res)
	return res, err
}
